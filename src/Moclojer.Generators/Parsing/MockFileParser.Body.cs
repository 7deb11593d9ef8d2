using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>Bodies and headers, shared by responses, webhooks and websocket replies: templates in the item's scope.</summary>
internal sealed partial class MockFileParser
{
    private const int MaxJsonNodes = 100_000;

    /// <summary>
    /// Headers that say how the message is framed or which protocol the connection speaks: the server (Kestrel for a
    /// response, the HTTP client for a webhook) writes them from the body it actually sends, so a configured value
    /// could only contradict it (V-22).
    /// </summary>
    private static readonly string[] FramingHeaders = ["Transfer-Encoding", "Content-Length", "Connection", "Upgrade"];

    /// <summary>
    /// S-2, W-8: a mapping of header names to value templates. V-22: a framing header, the same name twice in any
    /// letter case, or literal text a header cannot carry would fail or mislead on every request, so each is an error.
    /// </summary>
    /// <param name="owner">"a response" or "a webhook", for the messages.</param>
    private List<HeaderSpec> ReadHeaders(YamlScalarNode key, YamlNode node, ItemScope scope, string owner)
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
        var seen = new Dictionary<string, YamlScalarNode>(StringComparer.OrdinalIgnoreCase);
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
            if (seen.TryGetValue(name, out var first))
            {
                Report(DiagnosticKind.DuplicateHeader, At(nameNode), name, "line " + (first.Start.Line).ToString(System.Globalization.CultureInfo.InvariantCulture) + " ('" + first.Value + "')");
                continue;
            }
            seen.Add(name, nameNode);
            var framing = Array.Find(FramingHeaders, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
            if (framing is not null)
            {
                Report(DiagnosticKind.FramingHeader, At(nameNode), name, owner == "a webhook"
                    ? "the webhook sender frames the request from its body"
                    : "the server frames the response from its body; a body-less answer is sent without a body");
                continue;
            }
            if (!TryText(nameNode, child.Value, "a header value", out var valueScalar))
            {
                continue;
            }
            var value = IsNull(valueScalar) ? string.Empty : valueScalar.Value ?? string.Empty;
            var template = CompileTemplate(value, TemplateKind.Raw, valueScalar, scope);
            // Written text is sent as written only when it is visible ASCII: Kestrel refuses anything else in a response
            // on every request, and the webhook sender would drop control characters and percent-encode the rest.
            // Inserted values are made safe at run time (MockText.HeaderValue).
            var bad = template.Parts.Where(p => p.Variable is null).SelectMany(p => p.Literal).Cast<char?>()
                .FirstOrDefault(c => !(c == '\t' || c is >= ' ' and <= '~'));
            if (bad is { } c)
            {
                Report(DiagnosticKind.InvalidHeaderValue, ValueAt(nameNode, valueScalar), name, DescribeChar(c));
                continue;
            }
            headers.Add(new HeaderSpec(name, template));
        }
        return headers;
    }

    private static string DescribeChar(char c) => c switch
    {
        '\r' => "a carriage return (CR)",
        '\n' => "a line break (LF)",
        < ' ' or (char)127 => "the control character U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture),
        _ => "the non-ASCII character U+" + ((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture),
    };

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
