using Moclojer.Generators.Model;

namespace Moclojer.Generators.Parsing;

/// <summary>How a body's text is read: as text, as a JSON body when its Content-Type is JSON, or as JSON when it is JSON.</summary>
internal enum BodyJson
{
    /// <summary>A non-JSON Content-Type: sent as rendered (S-4).</summary>
    Text,
    /// <summary>A JSON Content-Type (S-3, S-11): a JSON body, or warning V-21 when the text is not one JSON document.</summary>
    ContentType,
    /// <summary>
    /// Websocket messages, which have no Content-Type: a JSON body when the text starts with a literal '{' or '[' and is
    /// one JSON document (<see cref="JsonTemplate.IsJsonDocument"/>), text otherwise, without a warning.
    /// </summary>
    Detect,
}

/// <summary>
/// JSON bodies (S-11): which bodies are JSON, and the compiled form of one, whose literal parts are minified at build
/// time and whose tags in value positions insert their values as JSON (T-3, T-6). The JSON reading itself is
/// <see cref="JsonTemplate"/>, shared with the runtime's renderer of external bodies.
/// </summary>
internal static class JsonBodies
{
    /// <summary>S-3, S-11: no Content-Type (the JSON default), or a literal JSON one (<c>application/json</c>, <c>+json</c>).</summary>
    public static bool HasJsonContentType(IEnumerable<HeaderSpec> headers)
    {
        var header = headers.FirstOrDefault(h => string.Equals(h.Name, "Content-Type", StringComparison.OrdinalIgnoreCase));
        // A templated Content-Type is only known per request: the body is then sent as rendered.
        return header is null || (header.Value.IsStatic && IsJsonMediaType(header.Value.StaticText));
    }

    public static bool IsJsonMediaType(string value)
    {
        var semicolon = value.IndexOf(';');
        var media = (semicolon < 0 ? value : value.Substring(0, semicolon)).Trim();
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.EndsWith("+json", StringComparison.OrdinalIgnoreCase) && media.IndexOf('/') > 0);
    }

    /// <summary>
    /// A body template that <see cref="JsonTemplate.Check"/> accepted, as a JSON body: variables outside strings are
    /// JSON values, and with <paramref name="compact"/> the literal parts lose the whitespace outside strings.
    /// </summary>
    public static TemplateSpec Apply(TemplateSpec template, bool compact)
    {
        var parts = new List<TemplatePart>(template.Parts.Count);
        var inString = false;
        var escaped = false;
        foreach (var part in template.Parts)
        {
            if (part.IsLiteral)
            {
                var literal = compact ? JsonTemplate.Compact(part.Literal, 0, part.Literal.Length, ref inString, ref escaped) : part.Literal;
                if (literal.Length > 0)
                {
                    parts.Add(part with { Literal = literal });
                }
            }
            else
            {
                parts.Add(part.InJsonString ? part : part with { JsonValue = true });
            }
        }
        return new TemplateSpec(parts.ToEquatableArray());
    }
}
