using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace Moclojer.Generators.Emit;

/// <summary>C# literals for values known at build time, written the same on every machine (invariant culture).</summary>
internal static class Literals
{
    /// <summary>A C# string literal for any text.</summary>
    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>A C# character literal for any character (surrogates escaped).</summary>
    public static string Char(char value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>A C# string literal, or <c>null</c>.</summary>
    public static string StringOrNull(string? value) => value is null ? "null" : String(value);

    /// <summary>A C# UTF-8 string literal (<c>"..."u8</c>): bytes with no allocation at run time.</summary>
    public static string Utf8(string value) => String(value) + "u8";

    /// <summary>
    /// Appends the C# UTF-8 string literal of <paramref name="value"/> (<see cref="Utf8"/>) to <paramref name="builder"/>:
    /// printable ASCII text (an API document) is escaped straight into it, with no copy of the text in between.
    /// </summary>
    public static void AppendUtf8(GeneratedText builder, string value)
    {
        foreach (var c in value)
        {
            if (c < ' ' || c > '~')
            {
                builder.Append(Utf8(value)); // the compiler's own escaping for anything else
                return;
            }
        }
        builder.Append('"');
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] is '"' or '\\')
            {
                builder.Append(value, start, i - start).Append('\\').Append(value[i]);
                start = i + 1;
            }
        }
        builder.Append(value, start, value.Length - start).Append("\"u8");
    }

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A double that reads back as the same value.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
