using System.Text.Json;
using Moclojer.Generators.EndToEnd.Infrastructure;

namespace Moclojer.Generators.EndToEnd.Tests;

/// <summary>The matching rules of conformance README 1.4, checked without any service.</summary>
public sealed class JsonMatcherTests
{
    [Theory]
    [InlineData("3", "3.0")]
    [InlineData("1e2", "100")]
    [InlineData("100", "1E+2")]
    [InlineData("-0.5", "-5e-1")]
    [InlineData("1.50", "1.5")]
    [InlineData("12345678901234567890", "12345678901234567890.0")]
    public void Numbers_compare_by_value(string expected, string actual) =>
        Assert.Empty(Exact(expected, actual));

    [Theory]
    [InlineData("3", "4")]
    [InlineData("3", "\"3\"")]
    [InlineData("1e2", "101")]
    public void Different_numbers_or_kinds_differ(string expected, string actual) =>
        Assert.NotEmpty(Exact(expected, actual));

    [Theory]
    [InlineData("\"a\"", "\"A\"")]
    [InlineData("true", "false")]
    [InlineData("false", "true")]
    [InlineData("null", "false")]
    [InlineData("null", "\"\"")]
    [InlineData("\"\"", "null")]
    public void Strings_booleans_and_null_compare_exactly(string expected, string actual) =>
        Assert.NotEmpty(Exact(expected, actual));

    [Fact]
    public void Exact_objects_need_the_same_keys_in_any_order()
    {
        Assert.Empty(Exact("""{"a":1,"b":[true,null]}""", """{"b":[true,null],"a":1.0}"""));
        var errors = Exact("""{"a":1}""", """{"a":1,"extra":2}""");
        Assert.Contains(errors, e => e.Contains("extra", StringComparison.Ordinal));
        Assert.Contains(Exact("""{"a":1,"b":2}""", """{"a":1}"""), e => e.Contains("$.b", StringComparison.Ordinal));
    }

    [Fact]
    public void Subset_allows_extra_keys_at_every_depth()
    {
        const string actual = """{"user":{"name":"ana","age":3,"tags":[{"k":1,"x":2}]},"more":true}""";
        Assert.Empty(Subset("""{"user":{"name":"ana","tags":[{"k":1}]}}""", actual));
        Assert.NotEmpty(Subset("""{"user":{"name":"bia"}}""", actual));
        Assert.NotEmpty(Subset("""{"user":{"missing":1}}""", actual));
    }

    [Fact]
    public void Arrays_keep_length_and_order_also_in_subset_mode()
    {
        Assert.Empty(Exact("[1,2,3]", "[1,2,3]"));
        Assert.NotEmpty(Exact("[1,2,3]", "[3,2,1]"));
        Assert.NotEmpty(Subset("[1,2]", "[1,2,3]"));
        Assert.NotEmpty(Subset("""[{"a":1}]""", """[{"a":1},{"a":2}]"""));
        // Objects inside arrays are matched with subset semantics in subset mode, exactly otherwise.
        Assert.Empty(Subset("""[{"a":1}]""", """[{"a":1,"b":2}]"""));
        Assert.NotEmpty(Exact("""[{"a":1}]""", """[{"a":1,"b":2}]"""));
        Assert.NotEmpty(Exact("[]", "{}"));
    }

    [Fact]
    public void Regex_matcher_needs_a_matching_string()
    {
        const string now = """{"$regex":"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$"}""";
        Assert.Empty(Exact(now, "\"2026-11-27T15:04:05.123Z\""));
        Assert.NotEmpty(Exact(now, "\"2026-11-27T15:04:05Z\""));
        Assert.NotEmpty(Exact("""{"$regex":"^[0-9]+$"}""", "123")); // a number is not a string
        Assert.Empty(Exact("""{"id":{"$regex":"^[0-9a-f-]{36}$"}}""", """{"id":"0b7e1f6c-2a4d-4c8e-9f10-1a2b3c4d5e6f"}"""));
    }

    [Fact]
    public void Any_matcher_needs_only_presence()
    {
        Assert.Empty(Exact("""{"a":{"$any":true}}""", """{"a":null}"""));
        Assert.Empty(Exact("""{"a":{"$any":true}}""", """{"a":[1,{"b":2}]}"""));
        Assert.NotEmpty(Exact("""{"a":{"$any":true}}""", "{}"));
        Assert.NotEmpty(Subset("""{"a":{"$any":true}}""", """{"b":1}"""));
    }

    [Fact]
    public void Only_a_single_dollar_key_object_is_a_matcher()
    {
        // Two keys: a literal object, so it must equal literally.
        Assert.NotEmpty(Exact("""{"$regex":"x","y":1}""", "\"x\""));
        Assert.Empty(Exact("""{"$regex":"x","y":1}""", """{"y":1,"$regex":"x"}"""));
        // A normal single key is a literal too.
        Assert.NotEmpty(Exact("""{"regex":"^a$"}""", "\"a\""));
    }

    [Fact]
    public void Unknown_matchers_are_reported()
    {
        Assert.Contains(Exact("""{"$nope":1}""", "1"), e => e.Contains("unknown matcher", StringComparison.Ordinal));
    }

    [Fact]
    public void Header_values_are_exact_case_sensitive_or_regex()
    {
        using var exact = JsonDocument.Parse("\"application/json\"");
        using var regex = JsonDocument.Parse("""{"$regex":"^[0-9]{10}$"}""");
        Assert.Null(JsonMatcher.CompareHeaderValue(exact.RootElement, "application/json"));
        Assert.NotNull(JsonMatcher.CompareHeaderValue(exact.RootElement, "Application/JSON"));
        Assert.NotNull(JsonMatcher.CompareHeaderValue(exact.RootElement, "application/json, application/json"));
        Assert.Null(JsonMatcher.CompareHeaderValue(regex.RootElement, "1764255845"));
        Assert.NotNull(JsonMatcher.CompareHeaderValue(regex.RootElement, "1764255845000"));
    }

    [Fact]
    public void Differences_name_their_location()
    {
        var errors = Exact("""{"a":{"b":[1,{"c":"x"}]}}""", """{"a":{"b":[1,{"c":"y"}]}}""");
        Assert.Equal("$.a.b[1].c: expected \"x\", got \"y\"", Assert.Single(errors));
    }

    private static IReadOnlyList<string> Exact(string expected, string actual) => Run(expected, actual, subset: false);

    private static IReadOnlyList<string> Subset(string expected, string actual) => Run(expected, actual, subset: true);

    private static IReadOnlyList<string> Run(string expected, string actual, bool subset)
    {
        using var e = JsonDocument.Parse(expected);
        using var a = JsonDocument.Parse(actual);
        return JsonMatcher.Compare(e.RootElement, a.RootElement, subset);
    }
}
