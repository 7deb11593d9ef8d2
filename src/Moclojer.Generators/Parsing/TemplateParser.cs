using System.Collections.Generic;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Parsing;

/// <summary>How values inserted into a template are escaped.</summary>
internal enum TemplateKind
{
    /// <summary>Bodies: follow the literal text to know whether each insertion is inside a JSON string (T-6).</summary>
    Body,
    /// <summary>Strings of a YAML mapping body turned into JSON: every insertion is inside a JSON string (S-5).</summary>
    JsonString,
    /// <summary>Headers and urls: raw insertion; the emitter applies the header or url rule.</summary>
    Raw,
}

/// <summary>A problem inside a template, at an offset of the template's text.</summary>
internal sealed record TemplateError(DiagnosticKind Kind, int Offset, int Length, string[] Args);

/// <summary>Compiles <c>{{ expr }}</c> templates (T-1 to T-8) into literal and variable parts.</summary>
internal static class TemplateParser
{
    public static TemplateSpec Parse(string text, TemplateKind kind, List<TemplateError> errors, bool allowMessage = false)
    {
        var parts = new List<TemplatePart>();
        var literal = new System.Text.StringBuilder();
        var inString = kind == TemplateKind.JsonString;
        var escaped = false;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var close = text.IndexOf("}}", i + 2, System.StringComparison.Ordinal);
                if (close < 0)
                {
                    errors.Add(new TemplateError(DiagnosticKind.UnterminatedTemplate, i, text.Length - i, [Excerpt(text, i)]));
                    literal.Append(text, i, text.Length - i);
                    break;
                }
                var inner = text.Substring(i + 2, close - i - 2);
                var variable = ParseTag(inner, i, close + 2 - i, errors, allowMessage);
                if (variable is not null)
                {
                    if (literal.Length > 0)
                    {
                        parts.Add(new TemplatePart(literal.ToString(), null, false));
                        literal.Clear();
                    }
                    parts.Add(new TemplatePart(string.Empty, variable, kind == TemplateKind.Body ? inString : kind == TemplateKind.JsonString));
                }
                i = close + 2;
                continue;
            }

            var c = text[i];
            if (kind == TemplateKind.Body)
            {
                // T-6: an unescaped '"' opens or closes a string; inside one, '\' escapes the next character.
                if (inString)
                {
                    if (escaped)
                    {
                        escaped = false;
                    }
                    else if (c == '\\')
                    {
                        escaped = true;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }
                }
                else if (c == '"')
                {
                    inString = true;
                }
            }
            literal.Append(c);
            i++;
        }
        if (literal.Length > 0)
        {
            parts.Add(new TemplatePart(literal.ToString(), null, false));
        }
        return new TemplateSpec(parts.ToEquatableArray());
    }

    /// <summary>Reads the text between the braces of one tag starting at <paramref name="tagOffset"/>.</summary>
    private static VariableRef? ParseTag(string inner, int tagOffset, int tagLength, List<TemplateError> errors, bool allowMessage)
    {
        var expression = inner.Trim();
        var exprOffset = tagOffset + 2 + (inner.Length - inner.TrimStart().Length);
        if (expression.Length == 0)
        {
            errors.Add(new TemplateError(DiagnosticKind.InvalidTemplate, tagOffset, tagLength, ["{{" + inner + "}}", "an empty tag"]));
            return null;
        }
        var first = expression[0];
        if (first is '#' or '/' or '^' or '>' or '!' or '{' or '&' || expression == "else" || expression.StartsWith("else ", System.StringComparison.Ordinal))
        {
            errors.Add(new TemplateError(DiagnosticKind.InvalidTemplate, tagOffset, tagLength, ["{{" + inner + "}}", "Handlebars/Mustache helpers and blocks are not template syntax"]));
            return null;
        }
        if (expression.IndexOf('|') >= 0)
        {
            errors.Add(new TemplateError(DiagnosticKind.InvalidTemplate, tagOffset, tagLength, ["{{" + inner + "}}", "filters are not supported"]));
            return null;
        }
        foreach (var c in expression)
        {
            if (char.IsWhiteSpace(c) || c is '(' or ')' or '"' or '\'' or '[' or ']' or '%')
            {
                errors.Add(new TemplateError(DiagnosticKind.InvalidTemplate, tagOffset, tagLength, ["{{" + inner + "}}", "a tag holds exactly one variable"]));
                return null;
            }
        }
        if (allowMessage && expression == "message")
        {
            return new VariableRef(VariableSource.Message, EquatableArray<string>.Empty);
        }
        switch (VariableParser.TryParse(expression, out var variable))
        {
            case VariableError.None:
                return variable;
            case VariableError.MissingName:
                errors.Add(new TemplateError(DiagnosticKind.InvalidTemplate, exprOffset, expression.Length, ["{{" + inner + "}}", "the variable needs a name after its root, such as path-params.id"]));
                return null;
            default:
                errors.Add(new TemplateError(DiagnosticKind.UnknownVariableSource, exprOffset, expression.Length, [expression]));
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
