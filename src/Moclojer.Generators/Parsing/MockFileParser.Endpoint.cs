using System.Globalization;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>An <c>endpoint</c> item (E-1 to E-5) and its <c>response</c> (S-1 to S-9).</summary>
internal sealed partial class MockFileParser
{
    private static readonly string[] EndpointMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    private static readonly string[] EndpointKeys = ["method", "path", "host", "query", "body", "response", "webhook", "rate-limit", "tag", "name"];
    private static readonly string[] ResponseKeys = ["status", "headers", "body", "external-body", "delay"];

    private void ReadEndpoint(YamlScalarNode itemKey, YamlNode node, int index)
    {
        if (node is not YamlMappingNode mapping)
        {
            Report(DiagnosticKind.InvalidValueType, At(itemKey), "endpoint", "a mapping with 'path' and 'response'", Describe(node));
            return;
        }
        var keys = Keys(mapping, "an endpoint", EndpointKeys);

        var method = "GET";
        if (keys.TryGetValue("method", out var methodEntry) && TryText(methodEntry.Key, methodEntry.Value, "an HTTP method", out var methodScalar))
        {
            method = (methodScalar.Value ?? string.Empty).Trim().ToUpperInvariant();
            if (Array.IndexOf(EndpointMethods, method) < 0)
            {
                Report(DiagnosticKind.InvalidMethod, ValueAt(methodEntry.Key, methodScalar), methodScalar.Value ?? string.Empty, string.Join(", ", EndpointMethods));
            }
        }

        var segments = new List<PathSegment>();
        string? path = null;
        LocationInfo? pathLocation = null;
        if (!keys.TryGetValue("path", out var pathEntry))
        {
            Report(DiagnosticKind.MissingPath, At(itemKey), "endpoint");
        }
        else if (TryText(pathEntry.Key, pathEntry.Value, "a path such as /users/:id", out var pathScalar))
        {
            path = pathScalar.Value ?? string.Empty;
            var errors = new List<TemplateError>();
            segments = PathParser.Parse(path, errors);
            ReportTemplateErrors(errors, pathScalar);
            pathLocation = ValueAt(pathEntry.Key, pathScalar);
        }

        string? host = null;
        if (keys.TryGetValue("host", out var hostEntry) && TryText(hostEntry.Key, hostEntry.Value, "a host name", out var hostScalar) && !IsNull(hostScalar))
        {
            host = (hostScalar.Value ?? string.Empty).Trim();
            if (host.Length == 0 || host.IndexOfAny([':', '/', ' ', '\t', '?', '#', '@']) >= 0)
            {
                Report(DiagnosticKind.InvalidValueType, ValueAt(hostEntry.Key, hostScalar), "host", "a host name without scheme, port or path (H-1), such as api.example.com", "'" + host + "'");
            }
        }

        var query = keys.TryGetValue("query", out var queryEntry) ? ReadQuery(queryEntry.Key, queryEntry.Value) : [];

        var tag = DefaultTag(method, host, segments);
        if (keys.TryGetValue("tag", out var tagEntry) && TryText(tagEntry.Key, tagEntry.Value, "text", out var tagScalar) && !IsNull(tagScalar))
        {
            tag = tagScalar.Value ?? tag;
        }

        var name = EndpointNames.Derive(method, segments.ToEquatableArray(), host);
        LocationInfo? nameLocation = null;
        if (keys.TryGetValue("name", out var nameEntry) && TryText(nameEntry.Key, nameEntry.Value, "a C# identifier such as GetUserById", out var nameScalar) && !IsNull(nameScalar))
        {
            var written = (nameScalar.Value ?? string.Empty).Trim();
            nameLocation = ValueAt(nameEntry.Key, nameScalar);
            if (EndpointNames.IsValidName(written))
            {
                name = written;
            }
            else
            {
                Report(DiagnosticKind.InvalidEndpointName, nameLocation, written);
            }
        }

        var scope = ItemScope.ForEndpoint(index, path, segments);

        ResponseSpec? response = null;
        if (!keys.TryGetValue("response", out var responseEntry))
        {
            Report(DiagnosticKind.MissingResponse, At(itemKey));
        }
        else
        {
            response = ReadResponse(responseEntry.Key, responseEntry.Value, scope);
        }

        var webhooks = keys.TryGetValue("webhook", out var webhookEntry)
            ? ReadWebhooks(webhookEntry.Key, webhookEntry.Value, scope)
            : [];

        var rateLimit = keys.TryGetValue("rate-limit", out var rateEntry) ? ReadRateLimit(rateEntry.Key, rateEntry.Value) : null;

        if (path is not null && pathLocation is not null)
        {
            _routes.Add(new RouteKey(method, host?.ToLowerInvariant() ?? string.Empty, PathParser.Shape(segments), path, pathLocation, name, nameLocation ?? pathLocation));
        }
        var requestSample = keys.TryGetValue("body", out var sampleEntry) ? ReadRequestSample(sampleEntry.Value, scope) : null;

        if (path is not null && response is not null)
        {
            _endpoints.Add(new EndpointSpec(index, method, path, host, segments.ToEquatableArray(), query.ToEquatableArray(), tag, response, webhooks.ToEquatableArray(), rateLimit, requestSample, name));
        }
    }

    /// <summary>Q-1: a mapping of optional query parameter names to their types.</summary>
    private List<QueryParamSpec> ReadQuery(YamlScalarNode key, YamlNode node)
    {
        var query = new List<QueryParamSpec>();
        if (IsNull(node))
        {
            return query;
        }
        if (node is not YamlMappingNode queryMap)
        {
            Report(DiagnosticKind.InvalidValueType, At(key), "query", "a mapping of parameter names to types", Describe(node));
            return query;
        }
        foreach (var child in queryMap.Children)
        {
            if (child.Key is not YamlScalarNode { Value: { } name } nameNode || !TryText(nameNode, child.Value, "a parameter type", out var typeScalar))
            {
                continue;
            }
            var typeName = (typeScalar.Value ?? "string").Trim();
            if (!PathParser.TryParseType(typeName, out var type))
            {
                Report(DiagnosticKind.UnknownParamType, ValueAt(nameNode, typeScalar), typeName);
            }
            query.Add(new QueryParamSpec(name, type, typeName));
        }
        return query;
    }

    /// <summary>S-9: the request body sample is documentation only, so it is written as JSON for the OpenAPI document and never checked.</summary>
    private string? ReadRequestSample(YamlNode node, ItemScope scope)
    {
        if (IsNull(node))
        {
            return null;
        }
        var sample = new System.Text.StringBuilder();
        if (node is YamlScalarNode sampleText)
        {
            JsonText.AppendString(sample, sampleText.Value ?? string.Empty);
        }
        else
        {
            WriteJson(node, sample, depth: 0, scope);
        }
        return sample.ToString();
    }

    /// <summary>E-5: <c>&lt;method&gt;-&lt;host or localhost&gt;-&lt;path with "/" removed and ":" replaced by "--"&gt;</c>.</summary>
    private static string DefaultTag(string method, string? host, List<PathSegment> segments)
    {
        var path = string.Concat(segments.Select(s => s.IsParameter ? "--" + s.Text : s.Text));
        return method.ToLowerInvariant() + "-" + (host ?? "localhost") + "-" + path;
    }

    private ResponseSpec ReadResponse(YamlScalarNode key, YamlNode node, ItemScope scope)
    {
        if (IsNull(node))
        {
            return new ResponseSpec(200, EquatableArray<HeaderSpec>.Empty, null, 0);
        }
        if (node is not YamlMappingNode mapping)
        {
            Report(DiagnosticKind.InvalidValueType, At(key), "response", "a mapping (status, headers, body)", Describe(node));
            return new ResponseSpec(200, EquatableArray<HeaderSpec>.Empty, null, 0);
        }
        var keys = Keys(mapping, "a response", ResponseKeys);

        var status = 200;
        if (keys.TryGetValue("status", out var statusEntry))
        {
            var text = statusEntry.Value is YamlScalarNode s ? (s.Value ?? string.Empty).Trim() : Describe(statusEntry.Value);
            if (!(statusEntry.Value is YamlScalarNode && text.Length is > 0 and <= 3 && text.All(c => c is >= '0' and <= '9')
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out status) && status is >= 200 and <= 599))
            {
                status = 200;
                Report(DiagnosticKind.InvalidStatus, ValueAt(statusEntry.Key, statusEntry.Value), text);
            }
        }

        var headers = keys.TryGetValue("headers", out var headersEntry) ? ReadHeaders(headersEntry.Key, headersEntry.Value, scope, "a response") : [];
        var json = JsonBodies.HasJsonContentType(headers);
        var body = keys.TryGetValue("body", out var bodyEntry) ? ReadBody(bodyEntry.Key, bodyEntry.Value, scope, json ? BodyJson.ContentType : BodyJson.Text) : null;

        var external = keys.TryGetValue("external-body", out var externalEntry) ? ReadExternalBody(externalEntry.Key, externalEntry.Value, scope) : null;
        if (external is not null)
        {
            external = external with { JsonBody = json, Compact = _compactJson }; // S-11 for its content
        }
        var delay = 0.0;
        if (keys.TryGetValue("delay", out var delayEntry) && (!TryNumber(delayEntry.Value, out delay) || delay is < 0 or > MockDefaults.MaxDelaySeconds))
        {
            Report(DiagnosticKind.InvalidDelay, ValueAt(delayEntry.Key, delayEntry.Value), KeyText(delayEntry.Value));
            delay = 0;
        }
        return new ResponseSpec(status, headers.ToEquatableArray(), external is null ? body : null, delay, external);
    }
}
