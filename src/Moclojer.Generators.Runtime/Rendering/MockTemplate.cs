namespace Moclojer.Runtime;

/// <summary>
/// The run-time template renderer, used only for content that is not known when the project builds: external
/// bodies loaded per request. The syntax is the generator's own (<see cref="TemplateScanner"/> and
/// <see cref="TemplateSyntax"/> are shared with it), so the same tags are accepted and refused; values follow T-2,
/// missing values are "" (T-3), and escaping follows the literal text (T-6).
/// </summary>
public static class MockTemplate
{
    /// <summary>Renders <paramref name="template"/> into <paramref name="output"/>; returns the reason when it is not a valid template.</summary>
    public static string? TryRender(string template, MockRequest request, IReadOnlyList<string> pathNames, IReadOnlyList<string?> pathValues, TemplateBuffer output)
    {
        var scanner = new TemplateScanner(template, TemplateKind.Body);
        while (scanner.Next(out var token))
        {
            switch (token.Kind)
            {
                case TemplateTokenKind.Literal:
                    output.AppendRaw(template.AsSpan(token.Start, token.Length));
                    break;
                case TemplateTokenKind.Unterminated:
                    return "unterminated template tag at offset " + token.Start;
                default:
                    var inner = template.Substring(token.InnerStart, token.InnerLength);
                    if (!TryValue(inner, request, pathNames, pathValues, out var value, out var error))
                    {
                        return error;
                    }
                    if (token.InJsonString)
                    {
                        output.AppendJsonEscaped(value);
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

    private static bool TryValue(string inner, MockRequest request, IReadOnlyList<string> pathNames, IReadOnlyList<string?> pathValues, out string? value, out string? error)
    {
        value = null;
        error = null;
        var expression = inner.Trim();
        var refused = TemplateSyntax.ReadTag(expression, allowMessage: false, out var source, out var path);
        if (refused != TemplateTagError.None)
        {
            error = "invalid template tag '{{" + inner + "}}': " + TemplateSyntax.Reason(refused);
            return false;
        }
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
