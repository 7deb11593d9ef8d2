using System.Globalization;
using System.Text.RegularExpressions;

namespace Moclojer.Generators.Parsing;

/// <summary>YAML 1.2 core-schema resolution of plain scalars (F-2), for bodies written as YAML (S-5).</summary>
internal static class YamlCoreSchema
{
    private static readonly Regex Integer = new("^[-+]?[0-9]+$", RegexOptions.CultureInvariant);
    private static readonly Regex Octal = new("^0o[0-7]+$", RegexOptions.CultureInvariant);
    private static readonly Regex Hex = new("^0x[0-9a-fA-F]+$", RegexOptions.CultureInvariant);
    private static readonly Regex Float = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);
    private static readonly Regex JsonNumber = new(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

    /// <summary>The JSON text of a plain scalar that is null, a boolean or a number; null when it is a string.</summary>
    public static string? PlainToJson(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return "null";
            case "true" or "True" or "TRUE":
                return "true";
            case "false" or "False" or "FALSE":
                return "false";
        }
        if (Integer.IsMatch(value))
        {
            // 0777 is the decimal 777 in YAML 1.2; JSON allows neither '+' nor leading zeros.
            var negative = value[0] == '-';
            var digits = value.TrimStart('+', '-').TrimStart('0');
            return (negative && digits.Length > 0 ? "-" : string.Empty) + (digits.Length == 0 ? "0" : digits);
        }
        if (Octal.IsMatch(value) || Hex.IsMatch(value))
        {
            try
            {
                return Convert.ToUInt64(value.Substring(2), value[1] == 'o' ? 8 : 16).ToString(CultureInfo.InvariantCulture);
            }
            catch (OverflowException)
            {
                return null; // too large for a JSON number we can write exactly: keep the text
            }
        }
        if (Float.IsMatch(value))
        {
            if (JsonNumber.IsMatch(value))
            {
                return value;
            }
            var real = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            return double.IsInfinity(real) ? null : real.ToString("R", CultureInfo.InvariantCulture);
        }
        return null; // .inf and .nan have no JSON form and stay strings, as does everything else.
    }
}
