using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Moclojer.Generators.EndToEnd.Infrastructure;

namespace Moclojer.Generators.EndToEnd.Tests;

/// <summary>
/// The runner's own mechanics, checked without the product: the raw client really sends targets verbatim, the
/// receiver records raw targets and answers as README 1.1 says, queries are encoded as README 1.2 says, build
/// output is attributed to projects, and webhook calls pair up as README 1.3 says. The receiver here listens on
/// a free port, so these tests never disturb the corpus run on 9977.
/// </summary>
public sealed class RunnerSelfTests
{
    [Fact]
    public async Task Raw_targets_and_headers_arrive_unchanged()
    {
        await using var receiver = await StartReceiver();
        var port = ReceiverPort(receiver);
        const string target = "/hello/J%C3%BAlia+M/%2E%2E/./x%2Fy?q=a+b&r=%20%22&s";
        var response = await RawHttpClient.SendAsync(port, "GET", target, [new("X-Case", "Mixed Value")]);

        Assert.Equal(200, response.Status);
        Assert.Equal("{}", response.BodyText);
        var call = Assert.Single(receiver.Drain());
        Assert.Equal("GET", call.Method);
        Assert.Equal(target, call.RawTarget);
        Assert.Equal("Mixed Value", call.Header("x-case"));
        // Only what HTTP needs plus the step's own headers (README 1.2), so headers_absent checks mean something.
        Assert.Equal(["Host", "X-Case"], call.Headers.Select(h => h.Key).Order(StringComparer.Ordinal));
        Assert.Equal($"127.0.0.1:{port}", call.Header("Host"));
    }

    [Fact]
    public async Task Host_header_can_be_replaced_and_bodies_are_sent_as_given()
    {
        await using var receiver = await StartReceiver();
        var body = Encoding.UTF8.GetBytes("{\"a\":\"Júlia\"}");
        await RawHttpClient.SendAsync(ReceiverPort(receiver), "POST", "/x", [new("Host", "api.example.com")], body);

        var call = Assert.Single(receiver.Drain());
        Assert.Equal("api.example.com", call.Header("host"));
        Assert.Equal(body, call.Body);
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), call.Header("Content-Length"));
        Assert.Null(call.Header("Content-Type"));
    }

    [Fact]
    public async Task Receiver_fails_and_delays_as_the_corpus_expects()
    {
        await using var receiver = await StartReceiver();
        var port = ReceiverPort(receiver);

        var fail = await RawHttpClient.SendAsync(port, "POST", "/fail/x");
        Assert.Equal(500, fail.Status);
        Assert.Equal("""{"error":"receiver failure"}""", fail.BodyText);

        var t0 = Stopwatch.GetTimestamp();
        var slow = await RawHttpClient.SendAsync(port, "POST", "/slow?x=1");
        Assert.Equal(200, slow.Status);
        Assert.True(slow.ElapsedMs >= 2900, $"/slow answered after {slow.ElapsedMs} ms");

        var calls = receiver.Drain();
        Assert.Equal(["/fail/x", "/slow?x=1"], calls.Select(c => c.RawTarget));
        // The arrival time is when the request arrived, not when it was answered.
        Assert.True(calls[1].MsAfter(t0) < 1000, $"arrival recorded at t0+{calls[1].MsAfter(t0)} ms");
        Assert.Empty(receiver.Drain());
    }

    [Fact]
    public void Query_objects_are_encoded_as_uri_components()
    {
        using var doc = JsonDocument.Parse("""{"q":"hello world","category":"a&b","x":"a\"b\\c","n":["1","2"],"é":"ç+"}""");
        Assert.Equal(
            "/search?q=hello%20world&category=a%26b&x=a%22b%5Cc&n=1&n=2&%C3%A9=%C3%A7%2B",
            StepRequest.AppendQuery("/search", doc.RootElement));
        using var one = JsonDocument.Parse("""{"b":"2"}""");
        Assert.Equal("/s?a=1&b=2", StepRequest.AppendQuery("/s?a=1", one.RootElement));
    }

    [Fact]
    public void Json_bodies_are_sent_compact_and_keep_number_text()
    {
        using var doc = JsonDocument.Parse("{ \"price\" : 1.50, \"name\" : \"Júlia\", \"list\": [ 1e3 ] }");
        Assert.Equal("{\"price\":1.50,\"name\":\"Júlia\",\"list\":[1e3]}", Encoding.UTF8.GetString(StepRequest.CompactUtf8(doc.RootElement)));
    }

    [Fact]
    public void Build_output_lines_are_attributed_to_projects()
    {
        var d = MsBuildDiagnostic.TryParse(
            "/c/bad/mocks.yml(4,15): error MOCK001: Invalid YAML: here [/x/Bad_01/Bad_01.csproj]");
        Assert.NotNull(d);
        Assert.Equal("/c/bad/mocks.yml", d.Origin);
        Assert.Equal(4, d.Line);
        Assert.Equal(15, d.Column);
        Assert.True(d.IsError);
        Assert.Equal("MOCK001", d.Code);
        Assert.Equal("Invalid YAML: here", d.Message);
        Assert.Equal("/x/Bad_01/Bad_01.csproj", d.Project);

        var ranged = MsBuildDiagnostic.TryParse("/p/mocks.yml(9,3,9,8): warning MOCK090: Unknown key 'x' [/p/P.csproj::TargetFramework=net10.0]");
        Assert.Equal(9, ranged!.Line);
        Assert.Equal("warning", ranged.Severity);
        Assert.Equal("/p/P.csproj", ranged.Project);

        var noLocation = MsBuildDiagnostic.TryParse("CSC : error CS8785: Generator 'X' failed [/p/P.csproj]");
        Assert.Equal("CSC", noLocation!.Origin);
        Assert.Null(noLocation.Line);

        Assert.Null(MsBuildDiagnostic.TryParse("  P -> /p/bin/Release/net10.0/P.dll"));
        Assert.Single(MsBuildDiagnostic.ParseAll("a.cs(1,1): error CS1: x [/p.csproj]\na.cs(1,1): error CS1: x [/p.csproj]\n"));
    }

    [Fact]
    public void Webhook_calls_pair_with_entries_in_arrival_and_list_order()
    {
        var t0 = Stopwatch.GetTimestamp();
        ReceivedCall Call(string target, string body, int ms) =>
            new("POST", target, [], Encoding.UTF8.GetBytes(body), t0 + (long)(ms * (Stopwatch.Frequency / 1000.0)));
        WebhookExpectation Entry(string target, string json, int min, int max)
        {
            using var doc = JsonDocument.Parse(json);
            return new WebhookExpectation("POST", target, doc.RootElement.Clone(), null, [], [], min, max);
        }

        var calls = new[] { Call("/h", """{"n":2}""", 200), Call("/h", """{"n":1}""", 100), Call("/other", "{}", 50) };
        var inOrder = new[] { Entry("/h", """{"n":1}""", 0, 150), Entry("/h", """{"n":2}""", 150, 300), Entry("/other", "{}", 0, 500) };
        Assert.Empty(WebhookChecker.Check(inOrder, calls, t0));

        var swapped = new[] { inOrder[1], inOrder[0], inOrder[2] };
        Assert.NotEmpty(WebhookChecker.Check(swapped, calls, t0));

        var missingOne = new[] { inOrder[0], inOrder[1] };
        Assert.Contains(WebhookChecker.Check(missingOne, calls, t0), p => p.StartsWith("unexpected webhook call: POST /other", StringComparison.Ordinal));

        var tooFew = new[] { inOrder[0], inOrder[1], inOrder[2], Entry("/h", "{}", 0, 500) };
        Assert.Contains(WebhookChecker.Check(tooFew, calls, t0), p => p.Contains("not received", StringComparison.Ordinal));
    }

    [Fact]
    public void Observation_window_defaults_follow_the_readme()
    {
        static Step Parse(string json)
        {
            using var doc = JsonDocument.Parse(json);
            return Step.Parse(doc.RootElement, 1);
        }

        const string req = "\"request\":{\"path\":\"/\"},\"expect\":{\"status\":200}";
        Assert.Equal(2000, Parse($"{{{req},\"no_webhook\":true}}").EffectiveObserveMs);
        Assert.Equal(1700, Parse($"{{{req},\"webhooks\":[{{\"method\":\"POST\",\"url_path\":\"/a\",\"after_ms_min\":0,\"after_ms_max\":1200}}]}}").EffectiveObserveMs);
        Assert.Equal(9000, Parse($"{{{req},\"no_webhook\":true,\"observe_ms\":9000}}").EffectiveObserveMs);
        Assert.False(Parse($"{{{req}}}").ChecksWebhooks);
    }

    [Fact]
    public void Features_are_read_from_yaml_keys_not_from_body_text()
    {
        var dir = Directory.CreateTempSubdirectory("e2e-features-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "mocks.yml"), """
                - endpoint:
                    path: /a
                    response:
                      body: |
                        webhook: not a key
                        rate-limit: neither
                    rate-limit:
                      max-requests: 2

                """);
            var c = new ConformanceCase(dir.FullName, CaseKind.Runtime);
            Assert.Equal(["rate-limit"], c.Features);
            Assert.Equal(
                SupportedFeatures.RuntimeFeatures.Contains("rate-limit") ? null : "rate-limit",
                c.FirstUnsupportedFeature);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<WebhookReceiver> StartReceiver()
    {
        var receiver = await WebhookReceiver.StartAsync(ServiceProcess.FreePort());
        Assert.True(receiver.StartError == null, receiver.StartError);
        return receiver;
    }

    private static int ReceiverPort(WebhookReceiver receiver) => receiver.BoundPort;
}
