using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>Bodies and headers, shared by responses, webhooks and websocket replies: templates in the item's scope.</summary>
internal sealed partial class MockFileParser
{
    private const int MaxJsonNodes = 100_000;

    private List<HeaderSpec> ReadHeaders(YamlScalarNode key, YamlNode node, ItemScope scope)
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
            if (!IsToken(name))
            {
                Report(DiagnosticKind.InvalidValueType, At(nameNode), name, "a header name (letters, digits and !#$%&'*+-.^_`|~)", "'" + name + "'");
                continue;
            }
            if (!TryText(nameNode, child.Value, "a header value", out var valueScalar))
            {
                continue;
            }
            var value = IsNull(valueScalar) ? string.Empty : valueScalar.Value ?? string.Empty;
            headers.Add(new HeaderSpec(name, CompileTemplate(value, TemplateKind.Raw, valueScalar, scope)));
        }
        return headers;
    }

    /// <summary>An HTTP token (RFC 9110), which header names are: visible ASCII without separators.</summary>
    private static bool IsToken(string name) =>
        !name.Any(c => c <= ' ' || c >= 127 || c is ':' or '(' or ')' or ',' or '/' or ';' or '<' or '=' or '>' or '@' or '[' or '\\' or ']' or '{' or '}' or '"' or '?');

    /// <summary>
    /// A body: text (T-6 escaping), or a YAML mapping or list turned into JSON (S-5); null when absent. Text that is a
    /// JSON body (S-11, as <paramref name="reading"/> decides) is compiled as one: minified, values in value positions as
    /// JSON; text with a JSON Content-Type that is not one JSON document is warning V-21 where it breaks.
    /// </summary>
    private TemplateSpec? ReadBody(YamlScalarNode key, YamlNode node, ItemScope scope, BodyJson reading)
    {
        if (IsNull(node))
        {
            return null;
        }
        if (node is YamlScalarNode scalar)
        {
            var text = scalar.Value ?? string.Empty;
            if (text.Length == 0)
            {
                return null;
            }
            var reported = _diagnostics.Count;
            var template = CompileTemplate(text, TemplateKind.Body, scalar, scope);
            if (reading == BodyJson.Text || _diagnostics.Count != reported)
            {
                return template; // a template with mistakes is an error of its own; it is never served
            }
            if (reading == BodyJson.Detect)
            {
                return JsonTemplate.IsJsonDocument(text) ? JsonBodies.Apply(template, _compactJson) : template;
            }
            if (JsonTemplate.Check(text) is { } error)
            {
                Report(DiagnosticKind.InvalidJsonBody, new ScalarMapper(_map, scalar).Map(error.Offset, 1), error.Expected, error.Found);
                return template; // S-11: sent as rendered
            }
            return JsonBodies.Apply(template, _compactJson);
        }
        var json = new System.Text.StringBuilder();
        WriteJson(node, json, depth: 0, scope);
        // The strings were checked one by one (with their own locations) while writing; compile the whole text now.
        return TemplateParser.Parse(json.ToString(), TemplateKind.Body, [], scope.AllowMessage);
    }

    /// <summary>S-5: a YAML 1.2 (core schema) value as JSON; templates inside strings stay, inside the string.</summary>
    private void WriteJson(YamlNode node, System.Text.StringBuilder json, int depth, ItemScope scope)
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
                    WriteJsonString(child.Key is YamlScalarNode keyScalar ? keyScalar : null, KeyText(child.Key), json, scope);
                    json.Append(':');
                    WriteJson(child.Value, json, depth + 1, scope);
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
                    WriteJson(sequence.Children[i], json, depth + 1, scope);
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
                    WriteJsonString(scalar, scalar.Value ?? string.Empty, json, scope);
                }
                break;
            default:
                json.Append("null");
                break;
        }
    }

    private void WriteJsonString(YamlScalarNode? scalar, string text, System.Text.StringBuilder json, ItemScope scope)
    {
        if (scalar is not null && text.IndexOf("{{", StringComparison.Ordinal) >= 0)
        {
            CompileTemplate(text, TemplateKind.JsonString, scalar, scope); // reports problems at the string's own location
        }
        JsonText.AppendString(json, text);
    }
}
