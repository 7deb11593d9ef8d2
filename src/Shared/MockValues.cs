// Shared source: compiled into the runtime (public, Moclojer.Runtime: generated code names
// global::Moclojer.Runtime.MockParamType.<member> and calls MockValues.TryCanonical) and into the generator (internal,
// Moclojer.Generators.Shared: the model's parameter types, and the checks of literals compared with typed parameters).
using System;
using System.Globalization;

#if MOCLOJER_RUNTIME
namespace Moclojer.Runtime;
#else
namespace Moclojer.Generators.Shared;
#endif

/// <summary>The parameter types of P-2 (<c>boolean</c> is read as <see cref="Bool"/>).</summary>
/// <remarks>Generated code names the members by their C# names: rename none without changing the emitter.</remarks>
#if MOCLOJER_RUNTIME
public
#else
internal
#endif
enum MockParamType
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
#if MOCLOJER_RUNTIME
public
#else
internal
#endif
static class MockValues
{
    /// <summary>
    /// Whether <paramref name="value"/> is a value of <paramref name="type"/>; if so, <paramref name="canonical"/> is
    /// its canonical text (P-5): integers without sign or leading zeros, reals in round-trip form, UUIDs in lower case.
    /// </summary>
    public static bool TryCanonical(MockParamType type, string value, out string canonical)
    {
        canonical = value;
        switch (type)
        {
            case MockParamType.String:
                return true;
            case MockParamType.Int:
                if (!IsInteger(value))
                {
                    return false;
                }
                if (IsCanonicalInteger(value))
                {
                    // Most path values are written canonically: no parse and no new string.
                    return true;
                }
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                {
                    return false;
                }
                canonical = number.ToString(CultureInfo.InvariantCulture);
                return true;
            case MockParamType.Bool:
                return value is "true" or "false";
            case MockParamType.Float:
            case MockParamType.Double:
                if (!IsDecimal(value) || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
                    || double.IsNaN(real) || double.IsInfinity(real))
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
                // DateTime rather than DateOnly so the generator (netstandard2.0) shares this code; same parsing rules.
                if (!DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return false;
                }
                canonical = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return true;
            default:
                return false;
        }
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    /// <summary>
    /// For a value <see cref="IsInteger"/> accepted: no '+', no leading zero, not "-0", at most 18 digits (so within
    /// <see cref="long"/>): the value is its own canonical text.
    /// </summary>
    private static bool IsCanonicalInteger(string value)
    {
        var start = value[0] == '-' ? 1 : 0;
        var digits = value.Length - start;
        return value[0] != '+' && digits <= 18 && (value[start] != '0' || (digits == 1 && start == 0));
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
            if (!IsDigit(value[i]))
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
        while (i < value.Length && IsDigit(value[i]))
        {
            i++;
            digits++;
        }
        if (i < value.Length && value[i] == '.')
        {
            i++;
            while (i < value.Length && IsDigit(value[i]))
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
            while (i < value.Length && IsDigit(value[i]))
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
