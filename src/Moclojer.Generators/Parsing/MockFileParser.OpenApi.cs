using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>
/// O-1: a mocks document, a mapping from <c>operationId</c>s to response objects, read against its OpenAPI document.
/// Every operation of the document becomes an endpoint, in document order: with its mock's response when the mocks
/// document has a key for it, otherwise with the document's first example (or the defaults) and a warning.
/// </summary>
internal sealed partial class MockFileParser
{
    /// <summary>A response object of a mocks document: the response keys (S) plus <c>webhook</c>, which only it can add.</summary>
    private static readonly YamlScalarNode WebhookKey = new("webhook");

    private void ReadMocksDocument(YamlMappingNode mapping)
    {
        var document = PairedDocument(mapping);
        if (document is null)
        {
            return;
        }
        _openApiJson = document.Json;
        foreach (var problem in document.Problems)
        {
            Report(DiagnosticKind.InvalidOpenApi, problem.Location, problem.MessageArgs.ToArray());
        }

        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < document.Operations.Count; i++)
        {
            if (document.Operations[i].OperationId.Length > 0)
            {
                byId[document.Operations[i].OperationId] = i;
            }
        }
        var mocks = new Dictionary<int, (YamlScalarNode Key, YamlNode Value)>();
        foreach (var child in mapping.Children)
        {
            if (child.Key is not YamlScalarNode { Value: { } operationId } key)
            {
                Report(DiagnosticKind.InvalidValueType, At(child.Key), "a key of the mocks document", "an operationId", Describe(child.Key));
                continue;
            }
            if (!byId.TryGetValue(operationId, out var index))
            {
                var suggestion = SuggestOperation(operationId, byId.Keys);
                Report(DiagnosticKind.UnknownOperation, At(key), operationId, FileName(document.FullPath),
                    suggestion is null ? "; use one of the document's operationIds" : "; did you mean '" + suggestion + "'?");
                continue;
            }
            mocks[index] = (key, child.Value);
        }

        var withoutMock = new List<string>();
        for (var i = 0; i < document.Operations.Count; i++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var operation = document.Operations[i];
            if (mocks.TryGetValue(i, out var mock))
            {
                ReadOperation(operation, i, mock.Key, mock.Value);
            }
            else
            {
                withoutMock.Add(operation.OperationId.Length > 0 ? operation.OperationId : operation.Method + " " + operation.Path);
                ReadOperation(operation, i, null, null);
            }
        }
        if (withoutMock.Count > 0)
        {
            var at = mapping.Children.Count > 0 ? At(mapping.Children[0].Key) : _map.OnLine(0, 0, _map.Line(0).Length);
            Report(DiagnosticKind.OperationsWithoutMock, at, withoutMock.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                FileName(_path), string.Join(", ", withoutMock));
        }
    }

    /// <summary>
    /// The OpenAPI document of this mocks document: the one its MoclojerOpenApi metadata names (a file name or a path
    /// relative to the mock file's or the project's folder), or the project's only one.
    /// </summary>
    private OpenApiDocumentSpec? PairedDocument(YamlMappingNode mapping)
    {
        var documents = _openApi.Documents;
        var at = _map.FromMarks(mapping.Start, mapping.Start);
        if (_openApi.Pairing is { Length: > 0 } pairing)
        {
            var wanted = new[] { FilePaths.Resolve(_directory, pairing), _projectDirectory.Length > 0 ? FilePaths.Resolve(_projectDirectory, pairing) : null };
            var named = documents.FirstOrDefault(d => wanted.Any(w => string.Equals(w, d.FullPath, StringComparison.OrdinalIgnoreCase)))
                ?? documents.FirstOrDefault(d => string.Equals(FileName(d.FullPath), pairing, StringComparison.OrdinalIgnoreCase));
            if (named is null)
            {
                Report(DiagnosticKind.InvalidOpenApi, at, "MoclojerOpenApi names '" + pairing + "', which is none of the project's OpenAPI documents ("
                    + string.Join(", ", documents.Select(d => FileName(d.FullPath))) + "); name one of them");
            }
            return named;
        }
        if (documents.Count > 1)
        {
            Report(DiagnosticKind.InvalidOpenApi, at, "The project has several OpenAPI documents (" + string.Join(", ", documents.Select(d => FileName(d.FullPath)))
                + "); say which one this mocks document belongs to with MoclojerOpenApi=\"<file>\" on its AdditionalFiles item");
            return null;
        }
        return documents[0];
    }

    private static string FileName(string path)
    {
        var normalized = path.Replace('\\', '/');
        return normalized.Substring(normalized.LastIndexOf('/') + 1);
    }

    private static string? SuggestOperation(string key, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = EditDistance.Between(key.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= Math.Max(1, Math.Min(4, key.Length / 3)) ? best : null;
    }

    /// <summary>
    /// One operation as an endpoint. <paramref name="key"/> and <paramref name="value"/> are its mock (null: none, so
    /// it answers the document's example). Its name in generated code is its operationId (made a C# identifier).
    /// </summary>
    private void ReadOperation(OpenApiOperation operation, int index, YamlScalarNode? key, YamlNode? value)
    {
        var errors = new List<TemplateError>();
        var segments = PathParser.Parse(operation.Path, errors);
        if (errors.Count > 0)
        {
            Report(DiagnosticKind.InvalidOpenApi, operation.Location, "The path '" + operation.Path + "' of operation " + Describe(operation)
                + " cannot be served: " + DiagnosticCatalog.Code(errors[0].Kind) + " ('" + string.Join("', '", errors[0].Args) + "')");
            return;
        }
        var location = key is null ? operation.Location : At(key);
        var name = OperationName(operation, segments);
        var scope = ItemScope.ForEndpoint(index, operation.Path, segments);

        ResponseSpec response;
        var webhooks = new List<WebhookSpec>();
        if (key is null)
        {
            var headers = operation.ExampleContentType is { } type && type.IndexOf("json", StringComparison.OrdinalIgnoreCase) < 0 && type != "*/*"
                ? new[] { new HeaderSpec("Content-Type", Literal(type)) }.ToEquatableArray()
                : EquatableArray<HeaderSpec>.Empty;
            response = new ResponseSpec(operation.ExampleStatus, headers, operation.ExampleBody is { Length: > 0 } body ? Literal(body) : null, 0);
        }
        else if (value is YamlMappingNode mapping && mapping.Children.TryGetValue(WebhookKey, out var webhookNode))
        {
            var rest = new YamlMappingNode(mapping.Children.Where(c => !WebhookKey.Equals(c.Key)));
            response = ReadResponse(key, rest, scope);
            webhooks = ReadWebhooks(key, webhookNode, scope);
        }
        else
        {
            response = ReadResponse(key, value ?? new YamlScalarNode(string.Empty), scope);
        }

        _routes.Add(new RouteKey(operation.Method, string.Empty, PathParser.Shape(segments), operation.Path, location, name, location));
        _endpoints.Add(new EndpointSpec(index, operation.Method, operation.Path, null, segments.ToEquatableArray(), operation.Query, DefaultTag(operation.Method, null, segments),
            response, webhooks.ToEquatableArray(), null, null, name));
    }

    private static string Describe(OpenApiOperation operation) =>
        operation.OperationId.Length > 0 ? "'" + operation.OperationId + "'" : operation.Method + " " + operation.Path;

    /// <summary>A static text as a template with one literal part: a document example is data, never a template.</summary>
    private static TemplateSpec Literal(string text) => new(new[] { new TemplatePart(text, null, false) }.ToEquatableArray());

    /// <summary>The operationId when it is a C# identifier, else its words in PascalCase (<c>find pet by id</c> → <c>FindPetById</c>), else derived from the route.</summary>
    private static string OperationName(OpenApiOperation operation, List<PathSegment> segments)
    {
        if (EndpointNames.IsValidName(operation.OperationId))
        {
            return operation.OperationId;
        }
        var pascal = EndpointNames.Pascal(operation.OperationId);
        if (pascal.Length > 0 && char.IsDigit(pascal[0]))
        {
            pascal = "Operation" + pascal;
        }
        return EndpointNames.IsValidName(pascal) ? pascal : EndpointNames.Derive(operation.Method, segments.ToEquatableArray());
    }
}
