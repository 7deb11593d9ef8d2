// Shared source: compiled into the runtime (public, Moclojer.Runtime, what compiled conditions call) and into the
// generator (internal, Moclojer.Generators.Shared, for constant folding and literal checks). One rule, one copy.
using System;

#if MOCLOJER_RUNTIME
namespace Moclojer.Runtime;
#else
namespace Moclojer.Generators.Shared;
#endif

/// <summary>
/// The comparison rules of webhook conditions (spec C-3 to C-9). A null argument is a missing value (C-3). Numbers
/// are compared exactly, digit by digit, without converting to <see cref="decimal"/> or <see cref="double"/>, so
/// there is no rounding and no overflow; nothing here allocates. Generated code calls these at run time; the
/// generator calls the same methods to fold conditions whose operands are all literals.
/// </summary>
#if MOCLOJER_RUNTIME
public
#else
internal
#endif
static class MockConditions
{
    /// <summary>
    /// <c>a = b</c> (C-4): as numbers when both sides match C-4's numeric pattern (<c>"10" = "10.0"</c>,
    /// <c>"007" = "7"</c>), otherwise as exact, case-sensitive strings. A missing side counts as <c>""</c>.
    /// </summary>
    public static bool Equal(string? left, string? right)
    {
        left ??= string.Empty;
        right ??= string.Empty;
        if (string.Equals(left, right, StringComparison.Ordinal))
        {
            return true;
        }
        var leftText = left.AsSpan();
        var rightText = right.AsSpan();
        return TryRead(leftText, out var a) && TryRead(rightText, out var b) && Compare(leftText, a, rightText, b) == 0;
    }

    /// <summary><c>a != b</c> (C-9): exactly the negation of <see cref="Equal"/>.</summary>
    public static bool NotEqual(string? left, string? right) => !Equal(left, right);

    /// <summary><c>a &gt; b</c> (C-5): false unless both sides are present and numeric.</summary>
    public static bool Greater(string? left, string? right) => TryCompare(left, right, out var order) && order > 0;

    /// <summary><c>a &lt; b</c> (C-5): false unless both sides are present and numeric.</summary>
    public static bool Less(string? left, string? right) => TryCompare(left, right, out var order) && order < 0;

    /// <summary><c>a &gt;= b</c> (C-5): false unless both sides are present and numeric.</summary>
    public static bool GreaterOrEqual(string? left, string? right) => TryCompare(left, right, out var order) && order >= 0;

    /// <summary><c>a &lt;= b</c> (C-5): false unless both sides are present and numeric.</summary>
    public static bool LessOrEqual(string? left, string? right) => TryCompare(left, right, out var order) && order <= 0;

    /// <summary>A value on its own (C-6): true unless it is missing, <c>""</c> or <c>"false"</c>; <c>"0"</c> is true.</summary>
    public static bool Truthy(string? value) => !string.IsNullOrEmpty(value) && !string.Equals(value, "false", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="text"/> matches <c>^-?([0-9]+(\.[0-9]+)?|\.[0-9]+)([eE][+-]?[0-9]+)?$</c> (C-4).</summary>
    public static bool IsNumeric(ReadOnlySpan<char> text) => TryRead(text, out _);

    /// <summary>
    /// Compares two numeric texts (see <see cref="IsNumeric"/>) by value: negative, zero or positive. Returns false
    /// when either is not numeric.
    /// </summary>
    public static bool TryCompareNumbers(ReadOnlySpan<char> left, ReadOnlySpan<char> right, out int order)
    {
        order = 0;
        if (!TryRead(left, out var a) || !TryRead(right, out var b))
        {
            return false;
        }
        order = Compare(left, a, right, b);
        return true;
    }

    /// <summary>
    /// True when <paramref name="text"/> is numeric (C-4) and its value is a whole number within 64 bits, so an
    /// <c>int</c> path parameter (P-2) can equal it: <c>1e3</c> and <c>-0.0</c> can, <c>1.5</c> and <c>1e19</c> cannot.
    /// For the generator's checks of literals; not part of what generated code calls.
    /// </summary>
    internal static bool IsInt64Value(ReadOnlySpan<char> text)
    {
        if (!TryRead(text, out var number))
        {
            return false;
        }
        if (number.Sign == 0)
        {
            return true;
        }
        var count = number.Last - number.First + 1;
        // The last significant digit must sit at 10^0 or above.
        if (number.LeadExponent - (count - 1) < 0)
        {
            return false;
        }
        var integerDigits = number.LeadExponent + 1;
        if (integerDigits != 19)
        {
            return integerDigits < 19;
        }
        var limit = number.Negative ? "9223372036854775808" : "9223372036854775807";
        for (var k = 0; k < 19; k++)
        {
            var digit = k < count ? number.Digit(text, number.First + k) : '0';
            if (digit != limit[k])
            {
                return digit < limit[k];
            }
        }
        return true;
    }

    private static bool TryCompare(string? left, string? right, out int order)
    {
        order = 0;
        return left is not null && right is not null && TryCompareNumbers(left.AsSpan(), right.AsSpan(), out order);
    }

    /// <summary>
    /// Where the parts of a numeric text are. The digits of the integer and fraction parts, read as one sequence,
    /// are the significant digits from <see cref="First"/> to <see cref="Last"/> (no leading or trailing zeros);
    /// the first of them stands for 10^<see cref="LeadExponent"/>. <see cref="First"/> is -1 for zero.
    /// </summary>
    private readonly record struct Number(bool Negative, int IntegerStart, int IntegerLength, int FractionStart, int First, int Last, long LeadExponent)
    {
        public int Sign => First < 0 ? 0 : Negative ? -1 : 1;

        /// <summary>The digit at position <paramref name="index"/> of the integer-then-fraction sequence.</summary>
        public char Digit(ReadOnlySpan<char> text, int index) =>
            index < IntegerLength ? text[IntegerStart + index] : text[FractionStart + index - IntegerLength];
    }

    private static int Compare(ReadOnlySpan<char> leftText, in Number left, ReadOnlySpan<char> rightText, in Number right)
    {
        int leftSign = left.Sign, rightSign = right.Sign;
        if (leftSign != rightSign)
        {
            return leftSign < rightSign ? -1 : 1;
        }
        if (leftSign == 0)
        {
            return 0;
        }
        int magnitude;
        if (left.LeadExponent != right.LeadExponent)
        {
            magnitude = left.LeadExponent < right.LeadExponent ? -1 : 1;
        }
        else
        {
            magnitude = 0;
            int i = left.First, j = right.First;
            for (; i <= left.Last && j <= right.Last; i++, j++)
            {
                var a = left.Digit(leftText, i);
                var b = right.Digit(rightText, j);
                if (a != b)
                {
                    magnitude = a < b ? -1 : 1;
                    break;
                }
            }
            if (magnitude == 0)
            {
                // Equal so far: the one with significant digits left (all ending in a non-zero digit) is larger.
                var leftMore = i <= left.Last;
                var rightMore = j <= right.Last;
                magnitude = leftMore == rightMore ? 0 : leftMore ? 1 : -1;
            }
        }
        return leftSign * magnitude;
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool TryRead(ReadOnlySpan<char> text, out Number number)
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
        var integerLength = i - integerStart;
        var fractionStart = i;
        var fractionLength = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            fractionStart = i;
            while (i < text.Length && IsDigit(text[i]))
            {
                i++;
            }
            fractionLength = i - fractionStart;
            if (fractionLength == 0)
            {
                return false;
            }
        }
        if (integerLength == 0 && fractionLength == 0)
        {
            return false;
        }
        long exponent = 0;
        if (i < text.Length && (text[i] | 0x20) == 'e')
        {
            i++;
            var exponentNegative = false;
            if (i < text.Length && text[i] is '+' or '-')
            {
                exponentNegative = text[i] == '-';
                i++;
            }
            var exponentStart = i;
            while (i < text.Length && IsDigit(text[i]))
            {
                // Saturate: past this bound the exact exponent cannot change any comparison of texts that fit in memory.
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

        var total = integerLength + fractionLength;
        var shape = new Number(negative, integerStart, integerLength, fractionStart, -1, -1, 0);
        var first = 0;
        while (first < total && shape.Digit(text, first) == '0')
        {
            first++;
        }
        if (first == total)
        {
            number = shape;
            return true;
        }
        var last = total - 1;
        while (shape.Digit(text, last) == '0')
        {
            last--;
        }
        number = new Number(negative, integerStart, integerLength, fractionStart, first, last, integerLength - first - 1 + exponent);
        return true;
    }
}
