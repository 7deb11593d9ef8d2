using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Moclojer.Runtime;

namespace Moclojer.Generators.Tests.Runtime;

public class MockValuesTests
{
    [Theory]
    [InlineData(MockParamType.Int, "007", true, "7")]
    [InlineData(MockParamType.Int, "+5", true, "5")]
    [InlineData(MockParamType.Int, "-0", true, "0")]
    [InlineData(MockParamType.Int, "9223372036854775808", false, null)]
    [InlineData(MockParamType.Int, "42", true, "42")]
    [InlineData(MockParamType.Int, "-42", true, "-42")]
    [InlineData(MockParamType.Int, "0", true, "0")]
    [InlineData(MockParamType.Int, "-007", true, "-7")]
    [InlineData(MockParamType.Int, "999999999999999999", true, "999999999999999999")]
    [InlineData(MockParamType.Int, "9223372036854775807", true, "9223372036854775807")]
    [InlineData(MockParamType.Int, "-9223372036854775808", true, "-9223372036854775808")]
    [InlineData(MockParamType.Int, "-9223372036854775809", false, null)]
    [InlineData(MockParamType.Int, "99999999999999999999", false, null)]
    [InlineData(MockParamType.Int, "-", false, null)]
    [InlineData(MockParamType.Int, "", false, null)]
    [InlineData(MockParamType.Int, "4a", false, null)]
    [InlineData(MockParamType.Int, "-4a", false, null)]
    [InlineData(MockParamType.Int, "1.0", false, null)]
    [InlineData(MockParamType.Int, " 1", false, null)]
    [InlineData(MockParamType.Bool, "true", true, "true")]
    [InlineData(MockParamType.Bool, "True", false, null)]
    [InlineData(MockParamType.Double, "1e3", true, "1000")]
    [InlineData(MockParamType.Double, "-2", true, "-2")]
    [InlineData(MockParamType.Double, "NaN", false, null)]
    [InlineData(MockParamType.Double, "Infinity", false, null)]
    [InlineData(MockParamType.Float, ".5", true, "0.5")]
    [InlineData(MockParamType.Uuid, "3F2504E0-4F89-11D3-9A0C-0305E82C3301", true, "3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData(MockParamType.Uuid, "{3F2504E0-4F89-11D3-9A0C-0305E82C3301}", false, null)]
    [InlineData(MockParamType.Date, "2024-02-29", true, "2024-02-29")]
    [InlineData(MockParamType.Date, "2023-02-29", false, null)]
    [InlineData(MockParamType.String, "any thing", true, "any thing")]
    public void Accepts_and_canonicalises(MockParamType type, string value, bool accepted, string? canonical)
    {
        Assert.Equal(accepted, MockValues.TryCanonical(type, value, out var result));
        if (accepted)
        {
            Assert.Equal(canonical, result);
        }
    }
}

public class MockRouterTests
{
    private static MockRoute Route(string method, string? host, params string?[] segments) =>
        new(method, host, segments, _ => Task.CompletedTask, method + " /" + string.Join("/", segments.Select(s => s ?? ":p")) + (host is null ? "" : " @" + host));

    [Fact]
    public void Literal_segments_beat_parameters_whatever_the_order()
    {
        var router = new MockRouter([Route("GET", null, "users", null), Route("GET", null, "users", "me")]);

        Assert.Equal("GET /users/me", router.Match("GET", "x", ["users", "me"]).Route!.DisplayName);
        Assert.Equal("GET /users/:p", router.Match("GET", "x", ["users", "42"]).Route!.DisplayName);
    }

    [Fact]
    public void A_host_specific_route_wins_a_tie_and_others_take_every_other_host()
    {
        var router = new MockRouter([Route("GET", null, "a"), Route("GET", "api.example.com", "a")]);

        Assert.Equal("GET /a @api.example.com", router.Match("GET", "API.example.COM", ["a"]).Route!.DisplayName);
        Assert.Equal("GET /a", router.Match("GET", "other", ["a"]).Route!.DisplayName);
    }

    [Fact]
    public void Matching_is_exact_case_sensitive_and_parameters_need_a_segment()
    {
        var router = new MockRouter([Route("GET", null, "a"), Route("GET", null, "b", null)]);

        Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "x", ["A"]).Outcome);
        Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "x", ["a", ""]).Outcome);
        Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "x", ["b", ""]).Outcome);
    }

    [Fact]
    public void Known_path_with_another_method_is_405_with_allow_and_head_falls_back_to_get()
    {
        var router = new MockRouter([Route("GET", null, "a"), Route("POST", null, "a")]);

        var put = router.Match("PUT", "x", ["a"]);
        Assert.Equal(MockRouteOutcome.MethodNotAllowed, put.Outcome);
        Assert.Equal("GET, POST, HEAD", put.Allow);
        Assert.Equal("GET /a", router.Match("HEAD", "x", ["a"]).Route!.DisplayName);
        Assert.Equal(MockRouteOutcome.MethodNotAllowed, router.Match("OPTIONS", "x", ["a"]).Outcome);
    }

    [Fact]
    public void A_large_hand_built_table_finds_every_route_and_a_match_allocates_nothing()
    {
        // 5,000 literal texts under one node: the literal child is looked up, not scanned.
        var routes = new List<MockRoute>();
        for (var i = 0; i < 5_000; i++)
        {
            routes.Add(Route("GET", null, "api", "r" + i, "items"));
            routes.Add(Route("GET", null, "api", "r" + i, null));
        }
        routes.Add(Route("GET", null, "api", null, "items"));
        var router = new MockRouter(routes);

        for (var i = 0; i < 5_000; i += 7)
        {
            Assert.Equal($"GET /api/r{i}/items", router.Match("GET", "x", ["api", "r" + i, "items"]).Route!.DisplayName);
            Assert.Equal($"GET /api/r{i}/:p", router.Match("GET", "x", ["api", "r" + i, "42"]).Route!.DisplayName);
        }
        // A literal that leads nowhere falls back to the parameter at the same depth (R-1).
        Assert.Equal("GET /api/:p/items", router.Match("GET", "x", ["api", "r5000", "items"]).Route!.DisplayName);
        Assert.Equal(MockRouteOutcome.NotFound, router.Match("GET", "x", ["api", "r5000", "other"]).Outcome);

        var path = "/api/r4999/items";
        var ranges = new[] { 1..4, 5..10, 11..16 };
        Assert.Equal("GET /api/r4999/items", router.Match("GET", "", path, ranges).Route!.DisplayName);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            router.Match("GET", "", path, ranges);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Raw_target_segments_are_decoded_as_utf8_and_plus_stays()
    {
        var context = new DefaultHttpContext();
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget = "/hello/J%C3%BAlia+x/a%2Fb?q=1";

        Assert.Equal(["hello", "Júlia+x", "a/b"], RequestPath.Segments(context));
    }
}

public class TemplateBufferTests
{
    [Fact]
    public void Json_escaping_covers_quotes_backslashes_and_controls_only()
    {
        using var buffer = new TemplateBuffer(4);
        buffer.AppendJsonEscaped("a\"b\\c\n\u0001 é/ '");

        Assert.Equal("a\\\"b\\\\c\\n\\u0001 é/ '", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Raw_values_go_in_unchanged_and_missing_values_render_empty()
    {
        using var buffer = new TemplateBuffer(2);
        buffer.Append("x="u8);
        buffer.AppendRaw(null);
        buffer.AppendRaw("{\"a\":1}");

        Assert.Equal("x={\"a\":1}", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Header_values_lose_cr_and_lf_and_url_values_are_percent_encoded()
    {
        Assert.Equal("aInjected: 1", MockText.HeaderValue("a\r\nInjected: 1"));
        Assert.Equal("a%20b%2Fc~%C3%A9", MockText.UrlComponent("a b/c~é"));
    }
}

public class MockJsonTests
{
    private static readonly JsonElement Body = JsonDocument.Parse("""
        {"user": {"name": "Ana", "age": 30}, "items": [{"p": 1.50}, {"p": 2}], "none": null, "ok": false, "0": "zero", "obj": {"a": [1, 2]}}
        """).RootElement;

    [Theory]
    [InlineData("user.name", "Ana")]
    [InlineData("user.age", "30")]
    [InlineData("items.0.p", "1.50")]
    [InlineData("items.length", "2")]
    [InlineData("items.5.p", null)]
    [InlineData("none", null)]
    [InlineData("ok", "false")]
    [InlineData("0", "zero")]
    [InlineData("obj", "{\"a\":[1,2]}")]
    [InlineData("user.name.length", null)]
    [InlineData("missing.deeper", null)]
    public void Walks_objects_and_arrays(string path, string? expected) =>
        Assert.Equal(expected, MockJson.Text(Body, path.Split('.')));
}
