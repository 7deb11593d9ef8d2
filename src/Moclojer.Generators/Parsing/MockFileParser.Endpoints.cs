using System.Globalization;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

internal sealed partial class MockFileParser
{
    private static readonly string[] EndpointKeys = ["method", "path", "host", "query", "body", "response", "webhook", "rate-limit", "tag"];
    private static readonly string[] ResponseKeys = ["status", "headers", "body", "external-body", "delay"];
    private static readonly string[] RateLimitKeys = ["window-ms", "max-requests", "key-fn"];
    private static readonly string[] ExternalBodyKeys = ["provider", "path", "sheet-name"];

    private const int MaxJsonNodes = 100_000;
    private int _jsonNodes;

    /// <summary>The path parameters in scope for the templates being checked.</summary>
    private List<PathSegment> _scopeParameters = [];
    private string _scopePath = string.Empty;
    private int _endpointIndex;
    /// <summary>WS-3: <c>{{message}}</c> is a variable in websocket responses only.</summary>
    private bool _allowMessage;

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

        var query = new List<QueryParamSpec>();
        if (keys.TryGetValue("query", out var queryEntry) && !IsNull(queryEntry.Value))
        {
            if (queryEntry.Value is YamlMappingNode queryMap)
            {
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
            }
            else
            {
                Report(DiagnosticKind.InvalidValueType, At(queryEntry.Key), "query", "a mapping of parameter names to types", Describe(queryEntry.Value));
            }
        }

        var tag = DefaultTag(method, host, segments);
        if (keys.TryGetValue("tag", out var tagEntry) && TryText(tagEntry.Key, tagEntry.Value, "text", out var tagScalar) && !IsNull(tagScalar))
        {
            tag = tagScalar.Value ?? tag;
        }

        _scopeParameters = segments.Where(s => s.IsParameter).ToList();
        _scopePath = path ?? string.Empty;

        ResponseSpec? response = null;
        if (!keys.TryGetValue("response", out var responseEntry))
        {
            Report(DiagnosticKind.MissingResponse, At(itemKey));
        }
        else
        {
            _endpointIndex = index;
            response = ReadResponse(responseEntry.Key, responseEntry.Value);
        }

        var webhooks = keys.TryGetValue("webhook", out var webhookEntry)
            ? ReadWebhooks(webhookEntry.Key, webhookEntry.Value)
            : [];

        var rateLimit = keys.TryGetValue("rate-limit", out var rateEntry) ? ReadRateLimit(rateEntry.Key, rateEntry.Value) : null;

        if (path is not null && pathLocation is not null)
        {
            _routes.Add(new RouteKey(method, host?.ToLowerInvariant() ?? string.Empty, PathParser.Shape(segments), path, pathLocation));
        }
        string? requestSample = null;
        if (keys.TryGetValue("body", out var sampleEntry) && !IsNull(sampleEntry.Value))
        {
            // S-9: documentation only, so it is written as JSON for the OpenAPI document and never checked.
            var sample = new System.Text.StringBuilder();
            if (sampleEntry.Value is YamlScalarNode sampleText)
            {
                JsonText.AppendString(sample, sampleText.Value ?? string.Empty);
            }
            else
            {
                WriteJson(sampleEntry.Value, sample, depth: 0);
            }
            requestSample = sample.ToString();
        }

        if (path is not null && response is not null)
        {
            _endpoints.Add(new EndpointSpec(index, method, path, host, segments.ToEquatableArray(), query.ToEquatableArray(), tag, response, webhooks.ToEquatableArray(), rateLimit, requestSample));
        }
    }

    /// <summary>E-5: <c>&lt;method&gt;-&lt;host or localhost&gt;-&lt;path with "/" removed and ":" replaced by "--"&gt;</c>.</summary>
    private static string DefaultTag(string method, string? host, List<PathSegment> segments)
    {
        var path = string.Concat(segments.Select(s => s.IsParameter ? "--" + s.Text : s.Text));
        return method.ToLowerInvariant() + "-" + (host ?? "localhost") + "-" + path;
    }

    private ResponseSpec ReadResponse(YamlScalarNode key, YamlNode node)
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
                && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out status) && status is >= 100 and <= 599))
            {
                status = 200;
                Report(DiagnosticKind.InvalidStatus, ValueAt(statusEntry.Key, statusEntry.Value), text);
            }
        }

        var headers = keys.TryGetValue("headers", out var headersEntry) ? ReadHeaders(headersEntry.Key, headersEntry.Value) : [];
        var body = keys.TryGetValue("body", out var bodyEntry) ? ReadBody(bodyEntry.Key, bodyEntry.Value) : null;

        var external = keys.TryGetValue("external-body", out var externalEntry) ? ReadExternalBody(externalEntry.Key, externalEntry.Value) : null;
        var delay = 0.0;
        if (keys.TryGetValue("delay", out var delayEntry) && (!TryNumber(delayEntry.Value, out delay) || delay < 0))
        {
            Report(DiagnosticKind.InvalidDelay, ValueAt(delayEntry.Key, delayEntry.Value), KeyText(delayEntry.Value));
        }
        return new ResponseSpec(status, headers.ToEquatableArray(), external is null ? body : null, delay, external);
    }

    private List<HeaderSpec> ReadHeaders(YamlScalarNode key, YamlNode node)
    {
        var headers = new List<HeaderSpec>();
        if (IsNull(node))
        {
            return headers;
        }
        if (node is not YamlMappingNode mapping)
        {
            Report(DiagnosticKind.InvalidValueType, At(key), "headers", "a mapping of header names to values", Describe(node));
            return headers;
        }
        foreach (var child in mapping.Children)
        {
            if (child.Key is not YamlScalarNode { Value: { Length: > 0 } name } nameNode)
            {
                Report(DiagnosticKind.InvalidValueType, At(child.Key), "a header name", "text", Describe(child.Key));
                continue;
            }
            if (name.Any(c => c <= ' ' || c >= 127 || c is ':' or '(' or ')' or ',' or '/' or ';' or '<' or '=' or '>' or '@' or '[' or '\\' or ']' or '{' or '}' or '"' or '?'))
            {
                Report(DiagnosticKind.InvalidValueType, At(nameNode), name, "a header name (letters, digits and !#$%&'*+-.^_`|~)", "'" + name + "'");
                continue;
            }
            if (!TryText(nameNode, child.Value, "a header value", out var valueScalar))
            {
                continue;
            }
            var value = IsNull(valueScalar) ? string.Empty : valueScalar.Value ?? string.Empty;
            headers.Add(new HeaderSpec(name, CompileTemplate(value, TemplateKind.Raw, valueScalar)));
        }
        return headers;
    }

    /// <summary>A body: text (T-6 escaping), or a YAML mapping or list turned into JSON (S-5); null when absent.</summary>
    private TemplateSpec? ReadBody(YamlScalarNode key, YamlNode node)
    {
        if (IsNull(node))
        {
            return null;
        }
        if (node is YamlScalarNode scalar)
        {
            var text = scalar.Value ?? string.Empty;
            return text.Length == 0 ? null : CompileTemplate(text, TemplateKind.Body, scalar);
        }
        var json = new System.Text.StringBuilder();
        WriteJson(node, json, depth: 0);
        // The strings were checked one by one (with their own locations) while writing; compile the whole text now.
        return TemplateParser.Parse(json.ToString(), TemplateKind.Body, [], _allowMessage);
    }

    /// <summary>Compiles a template, reporting its problems at their columns and checking path parameters.</summary>
    private TemplateSpec CompileTemplate(string text, TemplateKind kind, YamlScalarNode scalar)
    {
        var errors = new List<TemplateError>();
        var template = TemplateParser.Parse(text, kind, errors, _allowMessage);
        ReportTemplateErrors(errors, scalar);
        CheckPathParameters(template, text, scalar);
        return template;
    }

    private void ReportTemplateErrors(List<TemplateError> errors, YamlScalarNode scalar)
    {
        var mapper = new ScalarMapper(_map, scalar);
        foreach (var error in errors)
        {
            Report(error.Kind, mapper.Map(error.Offset, error.Length), error.Args);
        }
    }

    /// <summary>T-2: <c>path-params.name</c> must be declared by the endpoint's path.</summary>
    private void CheckPathParameters(TemplateSpec template, string text, YamlScalarNode scalar)
    {
        foreach (var part in template.Parts)
        {
            if (part.Variable is { Source: VariableSource.PathParams } variable && !_scopeParameters.Any(p => p.Text == variable.Name))
            {
                var expression = "path-params." + variable.Name;
                var offset = text.IndexOf(expression, StringComparison.Ordinal);
                ReportUndeclared(variable.Name, new ScalarMapper(_map, scalar).Map(Math.Max(offset, 0), expression.Length));
            }
        }
    }

    private void ReportUndeclared(string name, LocationInfo location)
    {
        var declared = _scopeParameters.Count == 0 ? "(the path has no parameters)" : string.Join(", ", _scopeParameters.Select(p => "path-params." + p.Text));
        Report(DiagnosticKind.UndeclaredPathParam, location, name, _scopePath, declared);
    }

    /// <summary>S-5: a YAML 1.2 (core schema) value as JSON; templates inside strings stay, inside the string.</summary>
    private void WriteJson(YamlNode node, System.Text.StringBuilder json, int depth)
    {
        if (depth > 64)
        {
            Report(DiagnosticKind.InvalidValueType, At(node), "body", "at most 64 levels deep", "deeper");
            json.Append("null");
            return;
        }
        // Aliases can make a small file expand exponentially ("billion laughs"); cap the work per file.
        if (++_jsonNodes > MaxJsonNodes)
        {
            if (_jsonNodes == MaxJsonNodes + 1)
            {
                Report(DiagnosticKind.InvalidValueType, At(node), "body", $"at most {MaxJsonNodes} values once YAML aliases are expanded", "larger");
            }
            json.Append("null");
            return;
        }
        _cancellationToken.ThrowIfCancellationRequested();
        switch (node)
        {
            case YamlMappingNode mapping:
                json.Append('{');
                var first = true;
                foreach (var child in mapping.Children)
                {
                    if (!first)
                    {
                        json.Append(',');
                    }
                    first = false;
                    WriteJsonString(child.Key is YamlScalarNode keyScalar ? keyScalar : null, KeyText(child.Key), json);
                    json.Append(':');
                    WriteJson(child.Value, json, depth + 1);
                }
                json.Append('}');
                break;
            case YamlSequenceNode sequence:
                json.Append('[');
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (i > 0)
                    {
                        json.Append(',');
                    }
                    WriteJson(sequence.Children[i], json, depth + 1);
                }
                json.Append(']');
                break;
            case YamlScalarNode scalar:
                var number = scalar.Style is YamlDotNet.Core.ScalarStyle.Plain && scalar.Tag.IsEmpty ? YamlCoreSchema.PlainToJson(scalar.Value ?? string.Empty) : null;
                if (number is not null)
                {
                    json.Append(number);
                }
                else
                {
                    WriteJsonString(scalar, scalar.Value ?? string.Empty, json);
                }
                break;
            default:
                json.Append("null");
                break;
        }
    }

    private void WriteJsonString(YamlScalarNode? scalar, string text, System.Text.StringBuilder json)
    {
        if (scalar is not null && text.IndexOf("{{", StringComparison.Ordinal) >= 0)
        {
            CompileTemplate(text, TemplateKind.JsonString, scalar); // reports problems at the string's own location
        }
        JsonText.AppendString(json, text);
    }

    /// <summary>RL-7: <c>window-ms</c> (default 900000) and <c>max-requests</c> (default 100); RL-4: <c>key-fn</c>.</summary>
    private RateLimitSpec? ReadRateLimit(YamlScalarNode key, YamlNode node)
    {
        if (IsNull(node))
        {
            return new RateLimitSpec(900000, 100, null);
        }
        if (node is not YamlMappingNode mapping)
        {
            Report(DiagnosticKind.InvalidValueType, At(key), "rate-limit", "a mapping (window-ms, max-requests, key-fn)", Describe(node));
            return null;
        }
        var keys = Keys(mapping, "a rate-limit", RateLimitKeys);
        var values = new long[] { 900000, 100 };
        var names = new[] { "window-ms", "max-requests" };
        for (var i = 0; i < names.Length; i++)
        {
            if (keys.TryGetValue(names[i], out var entry))
            {
                var text = entry.Value is YamlScalarNode s ? (s.Value ?? string.Empty).Trim() : Describe(entry.Value);
                if (!(entry.Value is YamlScalarNode && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 && number <= int.MaxValue))
                {
                    Report(DiagnosticKind.InvalidRateLimit, ValueAt(entry.Key, entry.Value), names[i], text);
                    continue;
                }
                values[i] = number;
            }
        }
        string? header = null;
        if (keys.TryGetValue("key-fn", out var keyFn) && TryText(keyFn.Key, keyFn.Value, "'remote-addr' or a header name", out var keyScalar) && !IsNull(keyScalar))
        {
            var name = (keyScalar.Value ?? string.Empty).Trim();
            if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || c is ':' or '(' or ')' or ',' or '/' or ';' or '<' or '=' or '>' or '@' or '[' or '\\' or ']' or '{' or '}' or '"' or '?'))
            {
                Report(DiagnosticKind.InvalidValueType, ValueAt(keyFn.Key, keyScalar), "key-fn", "'remote-addr' or a header name such as X-Api-Key", "'" + name + "'");
            }
            else if (name != "remote-addr")
            {
                header = name;
            }
        }
        return new RateLimitSpec(values[0], (int)values[1], header);
    }

    /// <summary>X-1 to X-5. A local path without templates is recorded so the file is read at build time.</summary>
    private ExternalBodySpec? ReadExternalBody(YamlScalarNode key, YamlNode node)
    {
        if (node is not YamlMappingNode mapping)
        {
            Report(DiagnosticKind.InvalidValueType, At(key), "external-body", "a mapping (provider, path)", Describe(node));
            return null;
        }
        var keys = Keys(mapping, "an external-body", ExternalBodyKeys);
        if (!keys.TryGetValue("provider", out var provider))
        {
            Report(DiagnosticKind.MissingKey, At(key), "external-body", "provider", "add 'provider: json'");
        }
        else if (TryText(provider.Key, provider.Value, "a provider name", out var providerScalar) && providerScalar.Value != "json")
        {
            Report(DiagnosticKind.UnknownProvider, ValueAt(provider.Key, providerScalar), providerScalar.Value ?? string.Empty);
        }
        if (!keys.TryGetValue("path", out var pathEntry))
        {
            Report(DiagnosticKind.MissingKey, At(key), "external-body", "path", "add the file's path or url, such as 'path: data/users.json'");
        }
        else if (TryText(pathEntry.Key, pathEntry.Value, "a file path or url", out var pathScalar))
        {
            var written = pathScalar.Value ?? string.Empty;
            var external = new ExternalBodySpec(CompileTemplate(written, TemplateKind.Raw, pathScalar), MockDirectory: string.Empty, null, null); // set by ExternalFiles.Resolve
            if (external.IsBuildTime)
            {
                _externalFiles.Add(new ExternalFileRef(_endpointIndex, FilePaths.Resolve(_directory, written), written, ValueAt(pathEntry.Key, pathScalar)));
            }
            return external;
        }
        return null;
    }
}
