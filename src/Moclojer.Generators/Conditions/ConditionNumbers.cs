namespace Moclojer.Generators.Conditions;

/// <summary>
/// Build-time view of C-4 numbers, used to fold constant comparisons and to check literals against path parameter
/// types. It follows the same exact rules as the runtime's <c>MockConditions</c> (the tests compare both).
/// </summary>
internal static class ConditionNumbers
{
    /// <summary>The C-4 pattern: <c>^-?([0-9]+(\.[0-9]+)?|\.[0-9]+)([eE][+-]?[0-9]+)?$</c>.</summary>
    public static bool IsNumeric(string text) => TryRead(text, out _);

    /// <summary>
    /// Compares two texts as C-4 numbers, exactly (no rounding). Null when either is not numeric.
    /// </summary>
    public static int? Compare(string left, string right)
    {
        if (!TryRead(left, out var a) || !TryRead(right, out var b))
        {
            return null;
        }
        if (a.Sign != b.Sign)
        {
            return a.Sign < b.Sign ? -1 : 1;
        }
        if (a.Sign == 0)
        {
            return 0;
        }
        int magnitude;
        if (a.LeadExponent != b.LeadExponent)
        {
            magnitude = a.LeadExponent < b.LeadExponent ? -1 : 1;
        }
        else
        {
            magnitude = string.CompareOrdinal(a.Digits, b.Digits);
            magnitude = magnitude < 0 ? -1 : magnitude > 0 ? 1 : 0;
        }
        return a.Sign * magnitude;
    }

    /// <summary>True when <paramref name="text"/> is a C-4 number whose value is a whole number within 64 bits.</summary>
    public static bool IsInt64Value(string text)
    {
        if (!TryRead(text, out var number))
        {
            return false;
        }
        if (number.Sign == 0)
        {
            return true;
        }
        // The last significant digit must sit at 10^0 or above.
        if (number.LeadExponent - (number.Digits.Length - 1) < 0)
        {
            return false;
        }
        var integerDigits = number.LeadExponent + 1;
        if (integerDigits < 19)
        {
            return true;
        }
        if (integerDigits > 19)
        {
            return false;
        }
        var whole = number.Digits.PadRight(19, '0');
        return string.CompareOrdinal(whole, number.Sign < 0 ? "9223372036854775808" : "9223372036854775807") <= 0;
    }

    /// <summary>
    /// A number as sign, significant digits (no leading or trailing zeros) and the power of ten of the first
    /// digit: 120.5 is (+1, "1205", 2), 0.03 is (+1, "3", -2), and zero is (0, "", 0).
    /// </summary>
    private readonly struct Number
    {
        public Number(int sign, string digits, long leadExponent)
        {
            Sign = sign;
            Digits = digits;
            LeadExponent = leadExponent;
        }

        public int Sign { get; }

        public string Digits { get; }

        public long LeadExponent { get; }
    }

    private static bool TryRead(string text, out Number number)
    {
        number = default;
        var i = 0;
        var negative = false;
        if (i < text.Length && text[i] == '-')
        {
            negative = true;
            i++;
        }
        var integerStart = i;
        while (i < text.Length && IsDigit(text[i]))
        {
            i++;
        }
        var integerEnd = i;
        var fractionStart = i;
        var fractionEnd = i;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            fractionStart = i;
            while (i < text.Length && IsDigit(text[i]))
            {
                i++;
            }
            fractionEnd = i;
            if (fractionEnd == fractionStart)
            {
                return false;
            }
        }
        if (integerEnd == integerStart && fractionEnd == fractionStart)
        {
            return false;
        }
        long exponent = 0;
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            var exponentNegative = false;
            if (i < text.Length && (text[i] == '+' || text[i] == '-'))
            {
                exponentNegative = text[i] == '-';
                i++;
            }
            var exponentStart = i;
            while (i < text.Length && IsDigit(text[i]))
            {
                // Saturate: beyond this the exact value no longer matters for any text that fits in memory.
                if (exponent < 1_000_000_000_000L)
                {
                    exponent = exponent * 10 + (text[i] - '0');
                }
                i++;
            }
            if (i == exponentStart)
            {
                return false;
            }
            if (exponentNegative)
            {
                exponent = -exponent;
            }
        }
        if (i != text.Length)
        {
            return false;
        }

        var all = text.Substring(integerStart, integerEnd - integerStart) + text.Substring(fractionStart, fractionEnd - fractionStart);
        var first = 0;
        while (first < all.Length && all[first] == '0')
        {
            first++;
        }
        if (first == all.Length)
        {
            number = new Number(0, string.Empty, 0);
            return true;
        }
        var last = all.Length - 1;
        while (all[last] == '0')
        {
            last--;
        }
        var integerLength = integerEnd - integerStart;
        number = new Number(negative ? -1 : 1, all.Substring(first, last - first + 1), integerLength - first - 1 + exponent);
        return true;
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';
}
