using System.Globalization;
using System.Text;

namespace Moclojer.Generators.Diagnostics;

/// <summary>
/// Text quoted in a diagnostic's message. A compiler prints one diagnostic per line, so a line break inside a message
/// would cut it short on the command line: quoted text is written on one line, with its breaks escaped.
/// </summary>
internal static class DiagnosticText
{
    /// <summary>How much of the user's text a message quotes before it is cut with an ellipsis.</summary>
    public const int ExcerptLength = 80;

    /// <summary>
    /// The text on one line: a line break becomes <c>\n</c> (<c>\r</c> alone becomes <c>\r</c>), a tab <c>\t</c>, and
    /// any other control or line-separator character <c>\uXXXX</c>. Other text, backslashes included, stays as it is.
    /// </summary>
    public static string OneLine(string text)
    {
        var i = 0;
        while (i < text.Length && !NeedsEscape(text[i]))
        {
            i++;
        }
        if (i == text.Length)
        {
            return text;
        }
        var builder = new StringBuilder(text.Length + 8).Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    builder.Append("\\n");
                    i++;
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (NeedsEscape(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>The user's text as a message quotes it: on one line, and cut with an ellipsis when long.</summary>
    public static string Excerpt(string text, int maxLength = ExcerptLength)
    {
        var line = OneLine(text);
        if (line.Length <= maxLength)
        {
            return line;
        }
        var cut = maxLength - 1;
        if (char.IsHighSurrogate(line[cut - 1]))
        {
            cut--;
        }
        return line.Substring(0, cut) + "…";
    }

    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
