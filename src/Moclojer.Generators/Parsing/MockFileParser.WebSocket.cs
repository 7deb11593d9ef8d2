using System.Text.RegularExpressions;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>A <c>websocket</c> item (WS-1 to WS-3), checked now so a websocket file builds only when it is right.</summary>
internal sealed partial class MockFileParser
{
    private static readonly string[] WebSocketKeys = ["path", "on-connect", "on-message"];
    private static readonly string[] OnConnectKeys = ["response"];
    private static readonly string[] OnMessageKeys = ["pattern", "response"];

    /// <summary>Responses are body templates that may also use <c>{{message}}</c> (WS-3).</summary>
    private void ReadWebSocket(YamlScalarNode itemKey, YamlNode node)
    {
        if (node is not YamlMappingNode mapping)
        {
            Report(DiagnosticKind.InvalidValueType, At(itemKey), "websocket", "a mapping with 'path'", Describe(node));
            return;
        }
        var keys = Keys(mapping, "a websocket", WebSocketKeys);
        string? path = null;
        var segments = new List<PathSegment>();
        if (!keys.TryGetValue("path", out var pathEntry))
        {
            Report(DiagnosticKind.MissingPath, At(itemKey), "websocket");
        }
        else if (TryText(pathEntry.Key, pathEntry.Value, "a path", out var pathScalar))
        {
            var errors = new List<TemplateError>();
            path = pathScalar.Value ?? string.Empty;
            segments = PathParser.Parse(path, errors);
            ReportTemplateErrors(errors, pathScalar);
        }
        var scope = ItemScope.ForWebSocket(path, segments);

        TemplateSpec? onConnect = null;
        if (keys.TryGetValue("on-connect", out var connect) && !IsNull(connect.Value))
        {
            if (connect.Value is YamlMappingNode connectMap)
            {
                var connectKeys = Keys(connectMap, "on-connect", OnConnectKeys);
                if (connectKeys.TryGetValue("response", out var response))
                {
                    onConnect = ReadBody(response.Key, response.Value, scope, BodyJson.Detect);
                }
            }
            else
            {
                Report(DiagnosticKind.InvalidValueType, At(connect.Key), "on-connect", "a mapping with 'response'", Describe(connect.Value));
            }
        }
        var messages = keys.TryGetValue("on-message", out var messageEntry) ? ReadOnMessage(messageEntry.Key, messageEntry.Value, scope) : [];
        if (path is not null)
        {
            _webSockets.Add(new WebSocketSpec(_webSockets.Count, path, segments.ToEquatableArray(), onConnect, messages.ToEquatableArray()));
        }
    }

    /// <summary>WS-2: a list of <c>{pattern, response}</c>; an entry without a valid pattern is left out.</summary>
    private List<WebSocketMessageSpec> ReadOnMessage(YamlScalarNode key, YamlNode node, ItemScope scope)
    {
        var messages = new List<WebSocketMessageSpec>();
        if (IsNull(node))
        {
            return messages;
        }
        if (node is not YamlSequenceNode list)
        {
            Report(DiagnosticKind.InvalidValueType, At(key), "on-message", "a list of {pattern, response}", Describe(node));
            return messages;
        }
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode entry)
            {
                Report(DiagnosticKind.InvalidValueType, At(item), "an on-message entry", "a mapping {pattern, response}", Describe(item));
                continue;
            }
            var entryKeys = Keys(entry, "an on-message entry", OnMessageKeys);
            string? pattern = null;
            if (!entryKeys.TryGetValue("pattern", out var patternEntry))
            {
                Report(DiagnosticKind.MissingKey, At(item), "on-message entry", "pattern", "add a regular expression that the whole message must match, such as 'pattern: ping'");
            }
            else if (TryText(patternEntry.Key, patternEntry.Value, "a regular expression", out var patternScalar) && CheckPattern(patternEntry.Key, patternScalar))
            {
                pattern = patternScalar.Value ?? string.Empty;
            }
            var response = entryKeys.TryGetValue("response", out var responseEntry) ? ReadBody(responseEntry.Key, responseEntry.Value, scope, BodyJson.Detect) : null;
            if (pattern is not null)
            {
                messages.Add(new WebSocketMessageSpec(pattern, response));
            }
        }
        return messages;
    }

    private bool CheckPattern(YamlScalarNode key, YamlScalarNode scalar)
    {
        var pattern = scalar.Value ?? string.Empty;
        if (pattern.IndexOf("{{", StringComparison.Ordinal) >= 0)
        {
            Report(DiagnosticKind.InvalidPattern, ValueAt(key, scalar), DiagnosticText.Excerpt(pattern), "templates are not expanded in patterns; match the text with a regular expression");
            return false;
        }
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException ex)
        {
            Report(DiagnosticKind.InvalidPattern, ValueAt(key, scalar), DiagnosticText.Excerpt(pattern), ex.Message);
            return false;
        }
    }
}
