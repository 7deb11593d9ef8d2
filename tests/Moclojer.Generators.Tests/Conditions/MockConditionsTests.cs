using System;
using System.Globalization;
using System.Numerics;
using System.Text;
using Moclojer.Runtime;

namespace Moclojer.Generators.Tests.Conditions;

public class MockConditionsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("007")]
    [InlineData("-12")]
    [InlineData("1.5")]
    [InlineData(".5")]
    [InlineData("-.5")]
    [InlineData("1e3")]
    [InlineData("1E+3")]
    [InlineData("2.5e-10")]
    [InlineData("-0")]
    [InlineData("123456789012345678901234567890123456789")]
    public void Numeric_texts_match_the_C4_pattern(string text)
    {
        Assert.True(MockConditions.IsNumeric(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+1")]
    [InlineData("1.")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("e3")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1,5")]
    [InlineData("--1")]
    [InlineData("١٢")]
    [InlineData("true")]
    public void Other_texts_are_not_numeric(string text)
    {
        Assert.False(MockConditions.IsNumeric(text));
    }

    [Theory]
    // C-4: numbers when both sides are numeric.
    [InlineData("10", "10.0", true)]
    [InlineData("007", "7", true)]
    [InlineData("1.10", "1.1", true)]
    [InlineData("10", "010", true)]
    [InlineData("1e3", "1000", true)]
    [InlineData("1E3", "1000.000", true)]
    [InlineData(".5", "0.5", true)]
    [InlineData("-0", "0", true)]
    [InlineData("-0.0", "0e10", true)]
    [InlineData("0.1", "1e-1", true)]
    [InlineData("10", "11", false)]
    [InlineData("-1", "1", false)]
    [InlineData("1.000000000000000000000000000001", "1", false)]
    [InlineData("100000000000000000000000000000001", "100000000000000000000000000000000", false)]
    [InlineData("1e400", "1e401", false)]
    [InlineData("1e400", "10e399", true)]
    // Otherwise exact, case-sensitive strings.
    [InlineData("active", "active", true)]
    [InlineData("Active", "active", false)]
    [InlineData("Ab ", "Ab", false)]
    [InlineData("1.10.0", "1.10", false)]
    [InlineData("10", "ten", false)]
    [InlineData("true", "true", true)]
    [InlineData(" 1", "1", false)]
    [InlineData("+1", "1", false)]
    [InlineData("", "", true)]
    // A missing side counts as "".
    [InlineData(null, "", true)]
    [InlineData("", null, true)]
    [InlineData(null, null, true)]
    [InlineData(null, "x", false)]
    [InlineData(null, "0", false)]
    public void Equal_follows_C4(string? left, string? right, bool expected)
    {
        Assert.Equal(expected, MockConditions.Equal(left, right));
        Assert.Equal(expected, MockConditions.Equal(right, left));
        Assert.Equal(!expected, MockConditions.NotEqual(left, right));
        Assert.Equal(!expected, MockConditions.NotEqual(right, left));
    }

    [Theory]
    [InlineData("150", "100", 1)]
    [InlineData("100", "100", 0)]
    [InlineData("99.5", "100", -1)]
    [InlineData("100.01", "100", 1)]
    [InlineData("250", "100", 1)]
    [InlineData("-2.5", "0", -1)]
    [InlineData("-2.5", "-2.25", -1)]
    [InlineData("-10", "-9", -1)]
    [InlineData("0.5", "0", 1)]
    [InlineData("-0.5", "-0", -1)]
    [InlineData("1e2", "99", 1)]
    [InlineData("1e-2", "0.009", 1)]
    [InlineData("0010", "9", 1)]
    [InlineData("5", "5.0", 0)]
    [InlineData("12", "123", -1)]
    [InlineData("0.12", "0.123", -1)]
    [InlineData("1e999999999999999999999", "1e999999999999999999998", 0)]
    [InlineData("1e-999999999999999999999", "0", 1)]
    public void Relational_operators_compare_numbers(string left, string right, int order)
    {
        Assert.Equal(order > 0, MockConditions.Greater(left, right));
        Assert.Equal(order < 0, MockConditions.Less(left, right));
        Assert.Equal(order >= 0, MockConditions.GreaterOrEqual(left, right));
        Assert.Equal(order <= 0, MockConditions.LessOrEqual(left, right));
        Assert.Equal(order < 0, MockConditions.Greater(right, left));
        Assert.Equal(order > 0, MockConditions.Less(right, left));
    }

    [Theory]
    [InlineData(null, "100")]
    [InlineData("100", null)]
    [InlineData(null, null)]
    [InlineData("", "100")]
    [InlineData("abc", "100")]
    [InlineData("100", "abc")]
    [InlineData("b", "a")]
    [InlineData("true", "false")]
    [InlineData("1.2.3", "1")]
    [InlineData("", "")]
    public void Relational_operators_are_false_unless_both_sides_are_numeric(string? left, string? right)
    {
        Assert.False(MockConditions.Greater(left, right));
        Assert.False(MockConditions.Less(left, right));
        Assert.False(MockConditions.GreaterOrEqual(left, right));
        Assert.False(MockConditions.LessOrEqual(left, right));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    [InlineData("0", true)]
    [InlineData(" ", true)]
    [InlineData("False", true)]
    [InlineData("null", true)]
    [InlineData("{}", true)]
    [InlineData("false", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Truthy_follows_C6(string? value, bool expected)
    {
        Assert.Equal(expected, MockConditions.Truthy(value));
    }

    [Fact]
    public void Numbers_compare_exactly_like_big_integers()
    {
        var random = new Random(2024);
        for (var i = 0; i < 20000; i++)
        {
            var left = RandomNumber(random);
            var right = random.Next(4) == 0 ? Reformat(left, random) : RandomNumber(random);
            var expected = Exact(left).CompareTo(Exact(right));
            Assert.True(MockConditions.TryCompareNumbers(left, right, out var order), $"{left} vs {right}");
            Assert.True(Math.Sign(order) == Math.Sign(expected), $"{left} vs {right}: {order}, expected {expected}");
            Assert.Equal(expected == 0, MockConditions.Equal(left, right));
            Assert.Equal(expected > 0, MockConditions.Greater(left, right));
            Assert.Equal(expected <= 0, MockConditions.LessOrEqual(left, right));
        }
    }

    [Fact]
    public void Comparisons_do_not_allocate()
    {
        string a = "123.4500", b = "1.2345e2", c = "active", d = "-0.001";
        var sink = 0;
        for (var i = 0; i < 100; i++)
        {
            sink += Run(a, b, c, d);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10000; i++)
        {
            sink += Run(a, b, c, d);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(sink > 0);

        static int Run(string a, string b, string c, string d)
        {
            var n = 0;
            n += MockConditions.Equal(a, b) ? 1 : 0;
            n += MockConditions.NotEqual(a, c) ? 1 : 0;
            n += MockConditions.Greater(a, d) ? 1 : 0;
            n += MockConditions.Less(d, a) ? 1 : 0;
            n += MockConditions.GreaterOrEqual(a, b) ? 1 : 0;
            n += MockConditions.LessOrEqual(c, a) ? 1 : 0;
            n += MockConditions.Truthy(c) ? 1 : 0;
            n += MockConditions.Equal(null, "") ? 1 : 0;
            return n;
        }
    }

    private static string RandomNumber(Random random)
    {
        var text = new StringBuilder();
        if (random.Next(3) == 0)
        {
            text.Append('-');
        }
        var integerDigits = random.Next(0, 6);
        for (var i = 0; i < integerDigits; i++)
        {
            text.Append((char)('0' + (random.Next(3) == 0 ? 0 : random.Next(10))));
        }
        if (integerDigits == 0 || random.Next(2) == 0)
        {
            text.Append('.');
            var fractionDigits = random.Next(1, 6);
            for (var i = 0; i < fractionDigits; i++)
            {
                text.Append((char)('0' + (random.Next(3) == 0 ? 0 : random.Next(10))));
            }
        }
        if (random.Next(3) == 0)
        {
            text.Append(random.Next(2) == 0 ? 'e' : 'E');
            var sign = random.Next(3);
            if (sign > 0)
            {
                text.Append(sign == 1 ? '+' : '-');
            }
            text.Append(random.Next(0, 8).ToString(CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    /// <summary>The same value written differently: leading zeros, trailing zeros, or moved into the exponent.</summary>
    private static string Reformat(string number, Random random)
    {
        var value = Exact(number);
        var scaled = value.Mantissa * BigInteger.Pow(10, 3);
        return (random.Next(3)) switch
        {
            0 => $"{(value.Mantissa.Sign < 0 ? "-" : "")}00{BigInteger.Abs(value.Mantissa)}e{value.Exponent}",
            1 => $"{scaled}e{value.Exponent - 3}",
            _ => $"{value.Mantissa}.000e{value.Exponent}",
        };
    }

    private static ExactNumber Exact(string text)
    {
        var exponentAt = text.IndexOfAny(new[] { 'e', 'E' });
        var exponent = exponentAt < 0 ? 0 : int.Parse(text.Substring(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = exponentAt < 0 ? text : text.Substring(0, exponentAt);
        var negative = mantissa.StartsWith('-');
        mantissa = mantissa.TrimStart('-');
        var dot = mantissa.IndexOf('.');
        if (dot >= 0)
        {
            exponent -= mantissa.Length - dot - 1;
            mantissa = mantissa.Remove(dot, 1);
        }
        var digits = BigInteger.Parse("0" + mantissa, CultureInfo.InvariantCulture);
        return new ExactNumber(negative ? -digits : digits, exponent);
    }

    private readonly record struct ExactNumber(BigInteger Mantissa, int Exponent) : IComparable<ExactNumber>
    {
        public int CompareTo(ExactNumber other)
        {
            var common = Math.Min(Exponent, other.Exponent);
            var left = Mantissa * BigInteger.Pow(10, Exponent - common);
            var right = other.Mantissa * BigInteger.Pow(10, other.Exponent - common);
            return left.CompareTo(right);
        }
    }
}
