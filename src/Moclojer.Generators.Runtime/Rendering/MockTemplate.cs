namespace Moclojer.Runtime;

/// <summary>
/// The run-time template renderer, used only for content that is not known when the project builds: external
/// bodies loaded per request. The syntax is the generator's own (<see cref="TemplateScanner"/>,
/// <see cref="TemplateSyntax"/> and <see cref="JsonTemplate"/> are shared with it), so the same tags are accepted and
/// refused and the same bodies are JSON bodies; values follow T-2, and escaping follows the literal text (T-6).
/// </summary>
public static class MockTemplate
{
    /// <summary>Renders <paramref name="template"/> into <paramref name="output"/>; returns the reason when it is not a valid template.</summary>
    public static string? TryRender(string template, MockRequest request, IReadOnlyList<string> pathNames, IReadOnlyList<string?> pathValues, TemplateBuffer output) =>
        TryRender(template, request, pathNames, pathValues, output, jsonContentType: false, compact: false);

    /// <summary>
    /// Renders <paramref name="template"/> into <paramref name="output"/>; returns the reason when it is not a valid
    /// template. With a JSON <paramref name="jsonContentType"/>, a template that is one JSON document with its tags
    /// read as values is a JSON body (S-11): values in value positions go in as JSON (missing: <c>null</c>, T-3), and
    /// with <paramref name="compact"/> its literal text loses the whitespace outside strings. Any other template is
    /// rendered as written: values raw, or JSON-escaped inside a string (T-6), missing as "".
    /// </summary>
    public static string? TryRender(string template, MockRequest request, IReadOnlyList<string> pathNames, IReadOnlyList<string?> pathValues, TemplateBuffer output, bool jsonContentType, bool compact)
    {
        var json = jsonContentType && JsonTemplate.Check(template) is null;
        compact &= json;
        var inString = false;
        var escaped = false;
        var scanner = new TemplateScanner(template, TemplateKind.Body);
        while (scanner.Next(out var token))
        {
            switch (token.Kind)
            {
                case TemplateTokenKind.Literal:
                    if (compact)
                    {
                        output.AppendRaw(JsonTemplate.Compact(template, token.Start, token.Length, ref inString, ref escaped));
                    }
                    else
                    {
                        output.AppendRaw(template.AsSpan(token.Start, token.Length));
                    }
                    break;
                case TemplateTokenKind.Unterminated:
                    return "unterminated template tag at offset " + token.Start;
                default:
                    var inner = template.Substring(token.InnerStart, token.InnerLength);
                    var expression = inner.Trim();
                    var refused = TemplateSyntax.ReadTag(expression, allowMessage: false, out var source, out var path);
                    if (refused != TemplateTagError.None)
                    {
                        return "invalid template tag '{{" + inner + "}}': " + TemplateSyntax.Reason(refused);
                    }
                    if (json && !token.InJsonString && source == VariableSource.JsonParams)
                    {
                        output.AppendJson(request.Json, path);
                        break;
                    }
                    if (!TryText(expression, source, path, request, pathNames, pathValues, out var value, out var error))
                    {
                        return error;
                    }
                    if (token.InJsonString)
                    {
                        output.AppendJsonEscaped(value);
                    }
                    else if (json)
                    {
                        output.AppendJsonValue(value);
                    }
                    else
                    {
                        output.AppendRaw(value);
                    }
                    break;
            }
        }
        return null;
    }

    private static bool TryText(string expression, VariableSource source, string[] path, MockRequest request, IReadOnlyList<string> pathNames, IReadOnlyList<string?> pathValues, out string? value, out string? error)
    {
        value = null;
        error = null;
        switch (source)
        {
            case VariableSource.PathParams:
                for (var k = 0; k < pathNames.Count; k++)
                {
                    if (pathNames[k] == path[0])
                    {
                        value = pathValues[k];
                        return true;
                    }
                }
                error = expression + " is not declared by the endpoint's path";
                return false;
            case VariableSource.QueryParams:
                value = request.Query(path[0]);
                return true;
            case VariableSource.HeaderParams:
                value = request.Header(path[0]);
                return true;
            case VariableSource.JsonParams:
                value = path.Length == 0 ? MockJson.Text(request.Json) : MockJson.Text(request.Json, path);
                return true;
            case VariableSource.Now:
                value = request.Now;
                return true;
            default:
                value = MockRequest.NewUuid();
                return true;
        }
    }
}
