using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Moclojer.Runtime;

namespace Moclojer.Generators.Runtime.Tests.RateLimiting;

/// <summary>The run-time renderer of external bodies and the path rule X-2.</summary>
public class MockTemplateTests
{
    private static async Task<MockRequest> Request(string? body = null)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?q=a%22b");
        context.Request.Headers["X-Key"] = "k";
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
        }
        var request = new MockRequest(context, ["7"], new FakeTimeProvider(new DateTimeOffset(2024, 1, 2, 3, 4, 5, 6, TimeSpan.Zero)));
        await request.ReadJsonAsync();
        return request;
    }

    [Theory]
    [InlineData("""{"a": "{{query-params.q}}", "b": {{query-params.q}}}""", """{"a": "a\"b", "b": a"b}""")]
    [InlineData("""{"s": "x\"{{ path-params.id }}"}""", """{"s": "x\"7"}""")]
    [InlineData("""{"j": {{json-params}}, "n": {{json-params.items.length}}, "k": "{{header-params.x-key}}"}""", """{"j": {"items":[1,2]}, "n": 2, "k": "k"}""")]
    [InlineData("""{"t": "{{now}}", "m": "{{query-params.missing}}"}""", """{"t": "2024-01-02T03:04:05.006Z", "m": ""}""")]
    [InlineData("{% single { brace }", "{% single { brace }")]
    [InlineData("""{"k": "{{json-params.a/b}}"}""", """{"k": ""}""")]
    public async Task Renders_like_compiled_templates(string template, string expected)
    {
        var request = await Request("""{"items": [1, 2]}""");
        using var output = new TemplateBuffer(4);

        Assert.Null(MockTemplate.TryRender(template, request, ["id"], ["7"], output));
        Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("""{ "a": "{{query-params.q}}",  "b": {{query-params.q}} }""", """{"a":"a\"b","b":"a\"b"}""")]
    [InlineData("""{"j": {{json-params}}, "n": {{json-params.items.length}}, "i": {{json-params.items}}}""", """{"j":{"items":[1,2],"s":"x\"y"},"n":2,"i":[1,2]}""")]
    [InlineData("""{"s": {{json-params.s}}, "missing": {{json-params.nope}}, "h": {{header-params.missing}}, "id": {{path-params.id}}}""", """{"s":"x\"y","missing":null,"h":null,"id":7}""")]
    [InlineData("""[ "{{now}}", {{now}}, "  kept  " ]""", """["2024-01-02T03:04:05.006Z","2024-01-02T03:04:05.006Z","  kept  "]""")]
    public async Task A_json_body_loaded_at_run_time_is_compact_and_valid_json(string template, string expected)
    {
        var request = await Request("""{"items": [1, 2], "s": "x\"y"}""");
        using var output = new TemplateBuffer(4);

        Assert.Null(MockTemplate.TryRender(template, request, ["id"], ["7"], output, jsonContentType: true, compact: true));
        Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(true, false, """{ "b": "a\"b" }""")] // verbatim: whitespace kept, the value still JSON
    [InlineData(false, true, """{ "b": a"b }""")] // not a JSON Content-Type: rendered as written
    public async Task Verbatim_and_text_content_types_keep_the_text_as_written(bool json, bool compact, string expected)
    {
        var request = await Request();
        using var output = new TemplateBuffer();

        Assert.Null(MockTemplate.TryRender("""{ "b": {{query-params.q}} }""", request, ["id"], ["7"], output, json, compact));
        Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public async Task Content_that_is_not_one_json_document_is_rendered_as_written()
    {
        var request = await Request();
        using var output = new TemplateBuffer();

        Assert.Null(MockTemplate.TryRender("""{"b": {{query-params.q}}, }""", request, ["id"], ["7"], output, jsonContentType: true, compact: true));
        Assert.Equal("""{"b": a"b, }""", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("{{request.id}}")]
    [InlineData("{{path-params.other}}")]
    [InlineData("{{ }}")]
    [InlineData("{{x|upper}}")]
    [InlineData("{{#if a}}")]
    [InlineData("{{json-params.a..b}}")]
    [InlineData("abc {{uuid")]
    [InlineData("{{json-params.a[0]}}")]
    [InlineData("{{json-params.f(x)}}")]
    [InlineData("{{header-params.X Y}}")]
    [InlineData("{{message}}")]
    public async Task Refuses_what_the_build_would_refuse(string template)
    {
        var request = await Request();
        using var output = new TemplateBuffer();

        Assert.NotNull(MockTemplate.TryRender(template, request, ["id"], ["7"], output));
    }

    [Theory]
    [InlineData("catalog", true)]
    [InlineData("", true)]
    [InlineData(null, true)]
    [InlineData("..", false)]
    [InlineData("../secret", false)]
    [InlineData("a\\b", false)]
    [InlineData("...", true)]
    public void Path_values_that_could_leave_the_directory_mean_not_found(string? value, bool ok)
    {
        var result = true;
        MockExternalBody.PathValue(value, ref result);
        Assert.Equal(ok, result);
    }
}
