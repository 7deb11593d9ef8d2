using System.Globalization;
using System.Text;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>
/// O-1: reads an OpenAPI 3.x document (YAML or JSON: JSON is YAML 1.2) into its operations and its JSON text. A
/// file is an OpenAPI document when its root is a mapping with an <c>openapi: 3.x</c> key; anything else is not one
/// (null), whatever its extension, so a JSON data file is never taken for one and an OpenAPI document is never taken
/// for a data file or a mock file.
/// </summary>
internal static class OpenApiDocumentReader
{
    /// <summary>The path-item keys that are operations this product can serve (path-item keys that are not are skipped).</summary>
    private static readonly string[] Verbs = ["get", "put", "post", "delete", "options", "head", "patch"];

    /// <summary>Aliases can expand a small document exponentially; the JSON form is capped.</summary>
    private const int MaxNodes = 200_000;

    /// <summary>A cheap look before parsing: every data file and mock file passes here.</summary>
    public static bool MayBeOpenApi(string text)
    {
        var at = text.IndexOf("openapi", StringComparison.Ordinal);
        return at >= 0 && (at == 0 || text[at - 1] is '\n' or '"' or '\'' or '{' or ' ' or '\t' or '\r');
    }

    /// <summary>Whether a parsed root is an OpenAPI 3.x document.</summary>
    public static bool IsOpenApiRoot(YamlNode? root) =>
        root is YamlMappingNode mapping
        && mapping.Children.TryGetValue(new YamlScalarNode("openapi"), out var version)
        && version is YamlScalarNode { Value: { } text } && text.Trim().StartsWith("3.", StringComparison.Ordinal);

    public static OpenApiDocumentSpec? TryRead(string path, string text, CancellationToken cancellationToken)
    {
        if (!MayBeOpenApi(text))
        {
            return null;
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            return null; // not a document this mode can read; a mock file that does not parse is reported as one
        }
        if (stream.Documents.Count == 0 || !IsOpenApiRoot(stream.Documents[0].RootNode))
        {
            return null;
        }
        cancellationToken.ThrowIfCancellationRequested();
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var map = new LineMap(path, text);
        var problems = new List<DiagnosticInfo>();
        var operations = new List<OpenApiOperation>();

        void Problem(YamlNode at, string message) =>
            problems.Add(new DiagnosticInfo(DiagnosticCatalog.Id(DiagnosticKind.InvalidOpenApi), map.FromMarks(at.Start, at.End), new[] { message }.ToEquatableArray()));

        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (Child(root, "paths") is YamlMappingNode paths)
        {
            foreach (var pathEntry in paths.Children)
            {
                if (pathEntry.Key is not YamlScalarNode { Value: { } openApiPath } pathKey || Resolve(root, pathEntry.Value) is not YamlMappingNode pathItem)
                {
                    continue;
                }
                var shared = Child(pathItem, "parameters") as YamlSequenceNode;
                foreach (var verbEntry in pathItem.Children)
                {
                    if (verbEntry.Key is not YamlScalarNode { Value: { } verb } verbKey || Array.IndexOf(Verbs, verb) < 0 || verbEntry.Value is not YamlMappingNode operation)
                    {
                        continue;
                    }
                    var idNode = Child(operation, "operationId") as YamlScalarNode;
                    var operationId = idNode?.Value ?? string.Empty;
                    if (operationId.Length > 0 && !ids.Add(operationId))
                    {
                        Problem(idNode!, "The operationId '" + operationId + "' is used twice in the OpenAPI document; a mocks document could not say which operation it means");
                        continue;
                    }
                    var parameters = Parameters(root, shared, Child(operation, "parameters") as YamlSequenceNode);
                    var mockPath = MockPath(openApiPath, parameters, out var pathProblem);
                    if (pathProblem is not null)
                    {
                        Problem(pathKey, "The path '" + openApiPath + "' cannot be served: " + pathProblem);
                        continue;
                    }
                    var query = parameters.Where(p => p.In == "query")
                        .Select(p => new QueryParamSpec(p.Name, Type(p.TypeName), p.TypeName)).ToEquatableArray();
                    var (status, body, contentType) = Example(root, Child(operation, "responses") as YamlMappingNode);
                    operations.Add(new OpenApiOperation(operationId, verb.ToUpperInvariant(), mockPath, query, status, body, contentType,
                        idNode is not null ? map.FromMarks(idNode.Start, idNode.End) : map.FromMarks(verbKey.Start, verbKey.End)));
                }
            }
        }
        else
        {
            Problem(root, "The OpenAPI document has no 'paths' mapping, so there is nothing to serve");
        }

        var json = new StringBuilder();
        var nodes = 0;
        WriteJson(root, json, depth: 0, ref nodes, isRoot: true);
        if (nodes > MaxNodes)
        {
            Problem(root, "The OpenAPI document is too large to serve once its YAML aliases are expanded (more than " + MaxNodes.ToString(CultureInfo.InvariantCulture) + " values)");
            json.Clear().Append("{}");
        }
        return new OpenApiDocumentSpec(FilePaths.Normalize(path), json.ToString(), operations.ToEquatableArray(), problems.ToEquatableArray());
    }

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>A local <c>$ref</c> (<c>#/components/...</c>) followed, a few levels at most; other nodes as they are.</summary>
    private static YamlNode? Resolve(YamlMappingNode root, YamlNode? node)
    {
        for (var hops = 0; hops < 8 && node is YamlMappingNode mapping && Child(mapping, "$ref") is YamlScalarNode { Value: { } reference }; hops++)
        {
            if (!reference.StartsWith("#/", StringComparison.Ordinal))
            {
                return null;
            }
            YamlNode? target = root;
            foreach (var part in reference.Substring(2).Split('/'))
            {
                var name = part.Replace("~1", "/").Replace("~0", "~");
                target = target is YamlMappingNode m ? Child(m, name) : null;
            }
            node = target;
        }
        return node;
    }

    private readonly record struct Parameter(string Name, string In, string TypeName);

    /// <summary>The path item's parameters, overridden by the operation's of the same name and location.</summary>
    private static List<Parameter> Parameters(YamlMappingNode root, YamlSequenceNode? shared, YamlSequenceNode? own)
    {
        var result = new List<Parameter>();
        foreach (var list in new[] { shared, own })
        {
            foreach (var item in list?.Children ?? [])
            {
                if (Resolve(root, item) is not YamlMappingNode parameter
                    || Child(parameter, "name") is not YamlScalarNode { Value: { } name }
                    || Child(parameter, "in") is not YamlScalarNode { Value: { } location })
                {
                    continue;
                }
                var schema = Resolve(root, Child(parameter, "schema")) as YamlMappingNode;
                var type = schema is null ? null : (Child(schema, "type") as YamlScalarNode)?.Value;
                var format = schema is null ? null : (Child(schema, "format") as YamlScalarNode)?.Value;
                result.RemoveAll(p => p.Name == name && p.In == location);
                result.Add(new Parameter(name, location, TypeName(type, format)));
            }
        }
        return result;
    }

    /// <summary>O-1: <c>integer</c> is int, <c>number</c> double, <c>boolean</c> bool, <c>string</c> with format uuid or date that type, else string.</summary>
    private static string TypeName(string? type, string? format) => type switch
    {
        "integer" => "int",
        "number" => "double",
        "boolean" => "bool",
        "string" when format is "uuid" or "date" => format,
        _ => "string",
    };

    private static MockParamType Type(string typeName) => PathParser.TryParseType(typeName, out var type) ? type : MockParamType.String;

    /// <summary><c>/pets/{id}</c> → <c>/pets/:id|int</c>; a parameter must be a whole segment.</summary>
    private static string MockPath(string openApiPath, List<Parameter> parameters, out string? problem)
    {
        problem = null;
        if (!openApiPath.StartsWith("/", StringComparison.Ordinal))
        {
            problem = "a path starts with '/'";
            return openApiPath;
        }
        var segments = openApiPath.Substring(1).Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length > 2 && segment[0] == '{' && segment[segment.Length - 1] == '}' && segment.IndexOf('{', 1) < 0)
            {
                var name = segment.Substring(1, segment.Length - 2);
                var type = parameters.FirstOrDefault(p => p.Name == name && p.In == "path").TypeName ?? "string";
                segments[i] = ":" + name + (type == "string" ? string.Empty : "|" + type);
            }
            else if (segment.IndexOf('{') >= 0 || segment.IndexOf('}') >= 0)
            {
                problem = "a path parameter must be a whole segment, such as /files/{name}";
                return openApiPath;
            }
            else if (segment.StartsWith(":", StringComparison.Ordinal))
            {
                problem = "a literal segment may not start with ':'";
                return openApiPath;
            }
        }
        return "/" + string.Join("/", segments);
    }

    /// <summary>
    /// The first response, in document order, with an example (<c>example</c>, or the first of <c>examples</c>) in one
    /// of its media types: its status (<c>default</c> is 200, <c>2XX</c> 200), its JSON (or, for a text example of a
    /// media type that is not JSON, the text) and its media type. (200, null, null) when there is none.
    /// </summary>
    private static (int Status, string? Body, string? ContentType) Example(YamlMappingNode root, YamlMappingNode? responses)
    {
        foreach (var entry in responses?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            if (Resolve(root, entry.Value) is not YamlMappingNode response || Child(response, "content") is not YamlMappingNode content)
            {
                continue;
            }
            foreach (var media in content.Children)
            {
                if (media.Key is not YamlScalarNode { Value: { } mediaType } || Resolve(root, media.Value) is not YamlMappingNode mediaObject)
                {
                    continue;
                }
                var example = Child(mediaObject, "example");
                if (example is null && Child(mediaObject, "examples") is YamlMappingNode examples && examples.Children.Count > 0
                    && Resolve(root, examples.Children[0].Value) is YamlMappingNode exampleObject)
                {
                    example = Child(exampleObject, "value");
                }
                if (example is null)
                {
                    continue;
                }
                string body;
                if (example is YamlScalarNode { Value: { } text } && !IsJson(mediaType))
                {
                    body = text;
                }
                else
                {
                    var json = new StringBuilder();
                    var nodes = 0;
                    WriteJson(example, json, depth: 0, ref nodes, isRoot: false);
                    if (nodes > MaxNodes)
                    {
                        continue;
                    }
                    body = json.ToString();
                }
                return (Status((entry.Key as YamlScalarNode)?.Value), body, mediaType);
            }
        }
        return (200, null, null);
    }

    private static bool IsJson(string mediaType) =>
        mediaType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0 || mediaType == "*/*";

    private static int Status(string? key)
    {
        if (key is { Length: 3 } && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 100 and <= 599)
        {
            return status;
        }
        return key is { Length: 3 } && key[0] is >= '1' and <= '5' && key.Substring(1).Equals("XX", StringComparison.OrdinalIgnoreCase) ? (key[0] - '0') * 100 : 200;
    }

    /// <summary>
    /// YAML (1.2 core schema) as compact JSON. At the root, <c>servers</c> is replaced by the mock service itself
    /// (<c>[{"url":"/"}]</c>): the operations are served at their paths here, not under the real API's base url.
    /// </summary>
    private static void WriteJson(YamlNode node, StringBuilder json, int depth, ref int nodes, bool isRoot)
    {
        if (++nodes > MaxNodes || depth > 256)
        {
            nodes = MaxNodes + 1;
            return;
        }
        switch (node)
        {
            case YamlMappingNode mapping:
                json.Append('{');
                var first = true;
                foreach (var child in mapping.Children)
                {
                    json.Append(first ? string.Empty : ",");
                    first = false;
                    var key = child.Key is YamlScalarNode { Value: { } keyText } ? keyText : string.Empty;
                    JsonText.AppendString(json, key).Append(':');
                    if (isRoot && key == "servers")
                    {
                        json.Append("[{\"url\":\"/\"}]");
                        continue;
                    }
                    WriteJson(child.Value, json, depth + 1, ref nodes, isRoot: false);
                }
                json.Append('}');
                break;
            case YamlSequenceNode sequence:
                json.Append('[');
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    json.Append(i == 0 ? string.Empty : ",");
                    WriteJson(sequence.Children[i], json, depth + 1, ref nodes, isRoot: false);
                }
                json.Append(']');
                break;
            case YamlScalarNode scalar:
                var value = scalar.Value ?? string.Empty;
                var plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any ? YamlCoreSchema.PlainToJson(value) : null;
                if (plain is not null)
                {
                    json.Append(plain);
                }
                else
                {
                    JsonText.AppendString(json, value);
                }
                break;
            default:
                json.Append("null");
                break;
        }
    }
}
