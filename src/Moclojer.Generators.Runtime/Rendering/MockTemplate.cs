using System.Text;

namespace Moclojer.Runtime;

/// <summary>
/// The run-time template renderer, used only for content that is not known when the project builds: external
/// bodies loaded per request. Same rules as the compiled templates: <c>{{ expr }}</c> tags (T-1, T-8), the
/// T-2 variables, missing values as "" (T-3), and JSON-aware escaping that follows the literal text (T-6).
/// </summary>
public static class MockTemplate
{
    /// <summary>Renders <paramref name="template"/> into <paramref name="output"/>; returns the reason when it is not a valid template.</summary>
    public static string? TryRender(string template, MockRequest request, IReadOnlyList<string> pathNames, IReadOnlyList<string?> pathValues, TemplateBuffer output)
    {
        var inString = false;
        var escaped = false;
        var literalStart = 0;
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                var close = template.IndexOf("}}", i + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    return "unterminated template tag at offset " + i;
                }
                output.AppendRaw(template.AsSpan(literalStart, i - literalStart).ToString());
                var expression = template.Substring(i + 2, close - i - 2).Trim();
                if (!TryValue(expression, request, pathNames, pathValues, out var value, out var error))
                {
                    return error;
                }
                if (inString)
                {
                    output.AppendJsonEscaped(value);
                }
                else
                {
                    output.AppendRaw(value);
                }
                i = close + 2;
                literalStart = i;
                escaped = false;
                continue;
            }
            if (escaped)
            {
                escaped = false;
            }
            else if (inString && c == '\\')
            {
                escaped = true;
            }
            else if (c == '"')
            {
                inString = !inString;
            }
            i++;
        }
        output.AppendRaw(template.Substring(literalStart));
        return null;
    }

    private static bool TryValue(string expression, MockRequest request, IReadOnlyList<string> pathNames, IReadOnlyList<string?> pathValues, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (expression.Length == 0 || expression.IndexOfAny(['|', '#', '/', ' ']) >= 0 && !expression.StartsWith("header-params.", StringComparison.Ordinal))
        {
            error = "invalid template tag '{{" + expression + "}}'";
            return false;
        }
        switch (expression)
        {
            case "now":
                value = request.Now;
                return true;
            case "uuid":
                value = MockRequest.NewUuid();
                return true;
            case "json-params":
                value = MockJson.Text(request.Json);
                return true;
        }
        var dot = expression.IndexOf('.');
        var root = dot < 0 ? expression : expression.Substring(0, dot);
        var rest = dot < 0 ? string.Empty : expression.Substring(dot + 1);
        switch (root)
        {
            case "path-params" when rest.Length > 0:
                for (var k = 0; k < pathNames.Count; k++)
                {
                    if (pathNames[k] == rest)
                    {
                        value = pathValues[k];
                        return true;
                    }
                }
                error = "path-params." + rest + " is not declared by the endpoint's path";
                return false;
            case "query-params" when rest.Length > 0:
                value = request.Query(rest);
                return true;
            case "header-params" when rest.Length > 0:
                value = request.Header(rest);
                return true;
            case "json-params" when rest.Length > 0:
                var segments = rest.Split('.');
                if (Array.IndexOf(segments, string.Empty) >= 0)
                {
                    break;
                }
                value = MockJson.Text(request.Json, segments);
                return true;
        }
        error = "'" + expression + "' is not a template variable";
        return false;
    }
}
