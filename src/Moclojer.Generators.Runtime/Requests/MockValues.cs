using System.Globalization;

namespace Moclojer.Runtime;

/// <summary>The parameter types of P-2.</summary>
public enum MockParamType
{
    String,
    Int,
    Bool,
    Float,
    Double,
    Uuid,
    Date,
}

/// <summary>Checks typed parameter values (P-4) and gives their canonical text (P-5).</summary>
public static class MockValues
{
    public static bool TryCanonical(MockParamType type, string value, out string canonical)
    {
        canonical = value;
        switch (type)
        {
            case MockParamType.String:
                return true;
            case MockParamType.Int:
                if (!IsInteger(value) || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    return false;
                }
                canonical = number.ToString(CultureInfo.InvariantCulture);
                return true;
            case MockParamType.Bool:
                return value is "true" or "false";
            case MockParamType.Float:
            case MockParamType.Double:
                if (!IsDecimal(value) || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) || !double.IsFinite(real))
                {
                    return false;
                }
                canonical = real.ToString("R", CultureInfo.InvariantCulture);
                return true;
            case MockParamType.Uuid:
                if (value.Length != 36 || !Guid.TryParseExact(value, "D", out var guid))
                {
                    return false;
                }
                canonical = guid.ToString("D");
                return true;
            case MockParamType.Date:
                if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return false;
                }
                canonical = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return true;
            default:
                return false;
        }
    }

    private static bool IsInteger(string value)
    {
        var start = value.Length > 0 && value[0] is '+' or '-' ? 1 : 0;
        if (start == value.Length)
        {
            return false;
        }
        for (var i = start; i < value.Length; i++)
        {
            if (value[i] is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary><c>[+-]?(digits[.digits?]|.digits)([eE][+-]?digits)?</c>: no NaN, Infinity, hex or spaces.</summary>
    private static bool IsDecimal(string value)
    {
        var i = 0;
        if (i < value.Length && value[i] is '+' or '-')
        {
            i++;
        }
        var digits = 0;
        while (i < value.Length && char.IsAsciiDigit(value[i]))
        {
            i++;
            digits++;
        }
        if (i < value.Length && value[i] == '.')
        {
            i++;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
            {
                i++;
                digits++;
            }
        }
        if (digits == 0)
        {
            return false;
        }
        if (i < value.Length && value[i] is 'e' or 'E')
        {
            i++;
            if (i < value.Length && value[i] is '+' or '-')
            {
                i++;
            }
            var exponentDigits = 0;
            while (i < value.Length && char.IsAsciiDigit(value[i]))
            {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0)
            {
                return false;
            }
        }
        return i == value.Length;
    }
}
