using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moclojer.Generators.Tests.Infrastructure;
using Moclojer.Runtime;
using Moclojer.Runtime.Webhooks;

namespace Moclojer.Generators.Tests.Features;

/// <summary>
/// S-11, T-3, T-6, V-21: JSON bodies are sent compact and always as valid JSON (values in value positions go in as
/// JSON, missing as null); text bodies are sent as rendered; a JSON body that is not JSON is a warning where it breaks.
/// </summary>
public class JsonBodyTests
{
    private const string Mocks = """
        - endpoint:
            method: POST
            path: /orders/:id
            response:
              body: |
                {
                  "id": {{path-params.id}},
                  "total": {{json-params.total}},
                  "q": {{query-params.q}},
                  "tags": {{json-params.tags}},
                  "name": "{{json-params.name}}",
                  "agent": {{header-params.X-Agent}},
                  "text": "a  b\t{ }"
                }
        - endpoint:
            method: POST
            path: /plain
            response:
              headers:
                Content-Type: text/plain
              body: 'total={{json-params.total}}; "q": {{query-params.q}}'
        - endpoint:
            path: /problem+json
            response:
              headers:
                Content-Type: application/problem+json; charset=utf-8
              body: '{ "title" : "x" , "n" : [ 1 , 2 ] }'
        - endpoint:
            path: /broken
            response:
              body: '{"a": {{query-params.a}}'
        """;

    private static MockServiceDefinition Definition(string yaml, Dictionary<string, string>? options = null)
    {
        var run = GeneratorHarness.Run([new InMemoryAdditionalText("/project/mocks.yml", yaml)], globalOptions: options);
        Assert.Empty(run.Errors);
        var service = GeneratorHarness.Load(run).GetType("Moclojer.Generated.MoclojerService", throwOnError: true)!;
        return (MockServiceDefinition)service.GetMethod("CreateDefinition", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!.Invoke(null, null)!;
    }

    private static readonly Lazy<MockServiceDefinition> Compact = new(() => Definition(Mocks));

    private static readonly Lazy<MockServiceDefinition> Verbatim = new(() => Definition(Mocks, new() { ["build_property.MoclojerJsonBodies"] = "verbatim" }));

    private static async Task<string> Serve(MockServiceDefinition definition, string method, string target, string? body = null, string? agent = null)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        context.Request.Method = method;
        var query = target.IndexOf('?');
        context.Request.Path = query < 0 ? target : target[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(target[query..]);
        if (agent is not null)
        {
            context.Request.Headers["X-Agent"] = agent;
        }
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
        }
        context.Response.Body = new MemoryStream();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await new MockDispatcher(definition, time, NullLogger<MockDispatcher>.Instance).DispatchAsync(context);
        Assert.Equal(200, context.Response.StatusCode);
        return Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
    }

    [Fact]
    public async Task A_pretty_printed_body_is_sent_compact_with_strings_kept_exactly()
    {
        var body = await Serve(Compact.Value, "POST", "/orders/7?q=12", """{"total": 10.50, "tags": ["a", {"b": [1, 2]}], "name": "N"}""", agent: "true");

        Assert.Equal("""{"id":7,"total":10.50,"q":12,"tags":["a",{"b":[1,2]}],"name":"N","agent":true,"text":"a  b\t{ }"}""", body);
    }

    [Fact]
    public async Task Missing_values_in_value_positions_are_null()
    {
        var body = await Serve(Compact.Value, "POST", "/orders/abc");

        Assert.Equal("""{"id":"abc","total":null,"q":null,"tags":null,"name":"","agent":null,"text":"a  b\t{ }"}""", body);
    }

    [Fact]
    public async Task A_json_null_is_null_in_a_value_position_and_empty_inside_a_string()
    {
        var body = await Serve(Compact.Value, "POST", "/orders/7", """{"total": null, "tags": null, "name": null}""");

        Assert.Equal("""{"id":7,"total":null,"q":null,"tags":null,"name":"","agent":null,"text":"a  b\t{ }"}""", body);
    }

    [Fact]
    public async Task Request_data_in_a_value_position_can_never_add_keys()
    {
        var body = await Serve(Compact.Value, "POST", "/orders/7?q=1,%20%22injected%22:%20true", """{"total": "1, \"injected\": true"}""", agent: "x\"y");

        Assert.Equal("""{"id":7,"total":"1, \"injected\": true","q":"1, \"injected\": true","tags":null,"name":"","agent":"x\"y","text":"a  b\t{ }"}""", body);
        Assert.Equal(["id", "total", "q", "tags", "name", "agent", "text"], System.Text.Json.JsonDocument.Parse(body).RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("true", "true")]
    [InlineData("-1.5e3", "-1.5e3")]
    [InlineData("null", "null")]
    [InlineData("007", "\"007\"")]
    [InlineData("True", "\"True\"")]
    [InlineData("1.", "\"1.\"")]
    [InlineData("", "\"\"")]
    public async Task Query_text_is_a_json_literal_only_when_it_is_exactly_one(string query, string expected)
    {
        var body = await Serve(Compact.Value, "POST", "/orders/7?q=" + Uri.EscapeDataString(query));

        Assert.Contains("\"q\":" + expected + ",", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_bodies_are_sent_as_rendered_with_raw_values_and_missing_as_empty()
    {
        Assert.Equal("total=; \"q\": a b", await Serve(Compact.Value, "POST", "/plain?q=a%20b"));
        Assert.Equal("total=1, \"x\"; \"q\": ", await Serve(Compact.Value, "POST", "/plain", """{"total": "1, \"x\""}"""));
    }

    [Fact]
    public async Task A_json_suffix_content_type_is_json_too()
    {
        Assert.Equal("""{"title":"x","n":[1,2]}""", await Serve(Compact.Value, "GET", "/problem+json"));
    }

    [Fact]
    public async Task Verbatim_keeps_the_whitespace_as_written_but_values_still_go_in_as_json()
    {
        var body = await Serve(Verbatim.Value, "POST", "/orders/7?q=a", """{"tags": [1,  2]}""");

        Assert.Equal("{\n  \"id\": 7,\n  \"total\": null,\n  \"q\": \"a\",\n  \"tags\": [1,2],\n  \"name\": \"\",\n  \"agent\": null,\n  \"text\": \"a  b\\t{ }\"\n}\n", body);
        Assert.Equal("{ \"title\" : \"x\" , \"n\" : [ 1 , 2 ] }", await Serve(Verbatim.Value, "GET", "/problem+json"));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_warning_where_it_breaks_and_is_sent_as_rendered()
    {
        var run = GeneratorHarness.Run(Mocks);
        var warning = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "MOCK040");
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        var position = warning.Location.GetLineSpan().StartLinePosition;
        Assert.Equal((31, 38), (position.Line + 1, position.Character + 1));
        Assert.Contains("expected ',' or '}', found the end of the body", warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        Assert.Equal("{\"a\": 1", await Serve(Compact.Value, "GET", "/broken?a=1"));
        Assert.Equal("{\"a\": ", await Serve(Compact.Value, "GET", "/broken"));
    }

    [Fact]
    public void Literal_parts_are_minified_when_the_project_builds()
    {
        var run = GeneratorHarness.Run(Mocks);
        var handlers = run.Sources.Single(s => s.HintName.StartsWith("Mocks_", StringComparison.Ordinal)).Text;

        Assert.Contains("body.Append(\"{\\\"id\\\":\"u8);", handlers, StringComparison.Ordinal);
        Assert.Contains("body.AppendJson(request.Json, ", handlers, StringComparison.Ordinal);
        Assert.Contains("body.AppendJsonValue(path_0);", handlers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_bodies_follow_the_same_rules()
    {
        const string yaml = """
            - endpoint:
                method: POST
                path: /pay
                response:
                  status: 202
                webhook:
                  url: /sink
                  method: POST
                  sleep-time: 0
                  body: |
                    { "total": {{json-params.total}},
                      "missing": {{json-params.nope}} }
            - endpoint:
                method: POST
                path: /sink
                response: {}
            """;
        await using var service = await GeneratedService.StartAsync(yaml);
        var journal = service.Services.GetRequiredService<IWebhookJournal>();

        var response = await service.Client.PostAsync("/pay", new StringContent("""{"total": "1, \"injected\": true"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var record = await journal.WaitForDeliveryAsync(r => r.Endpoint == "POST /pay", TimeSpan.FromSeconds(20));
        Assert.Equal(WebhookOutcome.Sent, record.Outcome);
        Assert.Equal("""{"total":"1, \"injected\": true","missing":null}""", record.RequestBody);
    }
}
