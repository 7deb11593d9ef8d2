using System.Collections.Generic;
using System.Text;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Parsing;

/// <summary>A problem inside a template, at an offset of the template's text.</summary>
internal sealed record TemplateError(DiagnosticKind Kind, int Offset, int Length, string[] Args);

/// <summary>
/// Compiles <c>{{ expr }}</c> templates into literal and variable parts. The syntax itself (tags, T-6 string
/// tracking, the variable grammar) is <see cref="TemplateScanner"/> and <see cref="TemplateSyntax"/>, shared with
/// the runtime's renderer; this maps their results to the model and to diagnostics.
/// </summary>
internal static class TemplateParser
{
    public static TemplateSpec Parse(string text, TemplateKind kind, List<TemplateError> errors, bool allowMessage = false)
    {
        var parts = new List<TemplatePart>();
        var literal = new StringBuilder();
        var scanner = new TemplateScanner(text, kind);
        while (scanner.Next(out var token))
        {
            switch (token.Kind)
            {
                case TemplateTokenKind.Literal:
                    literal.Append(text, token.Start, token.Length);
                    break;
                case TemplateTokenKind.Unterminated:
                    errors.Add(new TemplateError(DiagnosticKind.UnterminatedTemplate, token.Start, token.Length, [Excerpt(text, token.Start)]));
                    literal.Append(text, token.Start, token.Length);
                    break;
                default:
                    if (ReadTag(text, token, errors, allowMessage) is { } variable)
                    {
                        if (literal.Length > 0)
                        {
                            parts.Add(new TemplatePart(literal.ToString(), null, false));
                            literal.Clear();
                        }
                        parts.Add(new TemplatePart(string.Empty, variable, token.InJsonString));
                    }
                    break;
            }
        }
        if (literal.Length > 0)
        {
            parts.Add(new TemplatePart(literal.ToString(), null, false));
        }
        return new TemplateSpec(parts.ToEquatableArray());
    }

    /// <summary>Reads one tag; a refused tag is reported at the tag, or at its expression for a bad variable.</summary>
    private static VariableRef? ReadTag(string text, TemplateToken tag, List<TemplateError> errors, bool allowMessage)
    {
        var inner = text.Substring(tag.InnerStart, tag.InnerLength);
        var expression = inner.Trim();
        var expressionOffset = tag.InnerStart + (inner.Length - inner.TrimStart().Length);
        var error = TemplateSyntax.ReadTag(expression, allowMessage, out var source, out var path);
        switch (error)
        {
            case TemplateTagError.None:
                return VariableRef.From(source, path);
            case TemplateTagError.UnknownSource:
                errors.Add(new TemplateError(DiagnosticKind.UnknownVariableSource, expressionOffset, expression.Length, [expression]));
                return null;
            case TemplateTagError.MissingName:
                errors.Add(new TemplateError(DiagnosticKind.InvalidTemplate, expressionOffset, expression.Length, ["{{" + inner + "}}", TemplateSyntax.Reason(error)]));
                return null;
            default:
                errors.Add(new TemplateError(DiagnosticKind.InvalidTemplate, tag.Start, tag.Length, ["{{" + inner + "}}", TemplateSyntax.Reason(error)]));
                return null;
        }
    }

    private static string Excerpt(string text, int start)
    {
        var end = text.IndexOfAny(['\n', '\r'], start);
        var excerpt = end < 0 ? text.Substring(start) : text.Substring(start, end - start);
        return excerpt.Length > 40 ? excerpt.Substring(0, 40) + "…" : excerpt;
    }
}
