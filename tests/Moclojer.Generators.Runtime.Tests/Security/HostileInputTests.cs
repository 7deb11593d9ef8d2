using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moclojer.Runtime;
using Moclojer.Runtime.Webhooks;

namespace Moclojer.Generators.Runtime.Tests.Security;

/// <summary>
/// Issue 11, run time: what a hostile client sends gets a 4xx or a normal answer, never a 500 or exception text;
/// what it can make the service hold is bounded; callback urls cannot reach metadata services; templated external
/// bodies reach only the mock's data files; the built-in documents beat a root parameter. Each case runs on Kestrel at
/// 127.0.0.1 and in memory.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private static readonly string DataDir = Path.Combine(AppContext.BaseDirectory, HostileMock.DataFolder);
    private readonly string _outside = Path.Combine(Path.GetTempPath(), "moclojer-outside-" + Guid.NewGuid().ToString("N"));

    public HostileInputTests()
    {
        Directory.CreateDirectory(DataDir);
        File.WriteAllText(Path.Combine(DataDir, "orders.json"), """{"orders":[1,2]}""");
        File.WriteAllText(Path.Combine(DataDir, "Attack.csproj"), "<Project />");
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "secret.json"), """{"secret":true}""");
        var link = Path.Combine(DataDir, "linked.json");
        if (!File.Exists(link) && Path.Exists(link))
        {
            File.Delete(link);
        }
        if (File.Exists(link))
        {
            File.Delete(link);
        }
        File.CreateSymbolicLink(link, Path.Combine(_outside, "secret.json"));
    }

    public void Dispose() => Directory.Delete(_outside, recursive: true);

    public static TheoryData<bool> Servers => new() { false, true };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static ByteArrayContent Bytes(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        return content;
    }

    // ---- Clients can force 500s ----

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task UnreadableJsonBodies_AreServedNormally_WithJsonParamsEmpty(bool inMemory)
    {
        await using var mock = await HostileMock.StartAsync(inMemory);
        using var client = mock.CreateClient();

        var bodies = new[]
        {
            """{"customer":{"name":"\ud800"}}"""u8.ToArray(),
            """{"customer":{"name":"x\udc00y"}}"""u8.ToArray(),
            """{"customer":{"\ud800":"a","name":"b"}}"""u8.ToArray(),
            [.. """{"customer":{"name":"caf"""u8, 0xFF, .. "\"}}"u8],
            [.. """{"customer":{"name":"caf"""u8, 0xC3, .. "\"}}"u8],
            [.. """{"customer":{"name":"x"}, "a":"""u8, 0xED, 0xA0, 0x80, .. "}"u8],
        };
        foreach (var body in bodies)
        {
            using var response = await client.PostAsync("/orders", Bytes(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("", (await JsonAsync(response)).GetProperty("name").GetString());
        }

        using var fine = await client.PostAsync("/orders", Bytes("""{"customer":{"name":"caf\u00e9 \ud83d\ude00"}}"""u8.ToArray()));
        Assert.Equal("café 😀", (await JsonAsync(fine)).GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task AnUnreadableBody_StillTriggersTheWebhook_WithJsonParamsEmpty(bool inMemory)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var mock = await HostileMock.StartAsync(inMemory, o => o.TimeProvider = time);
        using var client = mock.CreateClient();

        using var response = await client.PostAsync("/slow-hook", Bytes("""{"a":"\ud800"}"""u8.ToArray()));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, mock.Services.GetRequiredService<WebhookDispatcher>().PendingCount);
    }

    [Theory]
    [InlineData("caf\u00e9", "caf%C3%A9")]
    [InlineData("a\u0000b\u000Bc\u007Fd\te", "abcd\te")]
    [InlineData("line\u2028sep", "line%E2%80%A8sep")]
    [InlineData("50% off", "50% off")]
    [InlineData("\ud83d\ude00", "%F0%9F%98%80")]
    [InlineData("a\r\nSet-Cookie: x=1", "aSet-Cookie: x=1")]
    public void HeaderValues_DropControlCharacters_AndPercentEncodeNonAscii(string value, string expected) =>
        Assert.Equal(expected, MockText.HeaderValue(value));

    [Fact]
    public void AHeaderValueWithALoneSurrogate_GetsTheReplacementCharacter() =>
        Assert.Equal("%EF%BF%BDx", MockText.HeaderValue(new string([(char)0xD800, 'x'])));

    [Fact]
    public async Task EchoedHeaders_WithNonAsciiOrControlCharacters_AreNot500_InMemory()
    {
        await using var mock = await HostileMock.StartAsync(inMemory: true);
        using var client = mock.CreateClient();
        foreach (var (sent, expected) in new[] { ("caf\u00e9", "caf%C3%A9"), ("a\u2028b", "a%E2%80%A8b"), ("x\u007Fy", "xy") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
            request.Headers.TryAddWithoutValidation("X-Request-Id", sent);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(expected, Assert.Single(response.Headers.GetValues("X-Request-Id")));
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x63, 0x61, 0x66, 0xC3, 0xA9 })]           // café in UTF-8
    [InlineData(new byte[] { 0x61, 0xE2, 0x80, 0xA8, 0x62 })]           // U+2028
    [InlineData(new byte[] { 0x61, 0x0B, 0x62 })]                       // VT
    [InlineData(new byte[] { 0x61, 0x7F, 0x62 })]                       // DEL
    [InlineData(new byte[] { 0x61, 0x00, 0x62 })]                       // NUL
    [InlineData(new byte[] { 0xFF, 0xFE })]                             // not UTF-8
    public async Task EchoedHeaders_WithNonAsciiOrControlCharacters_AreNot500_OnKestrel(byte[] value)
    {
        await using var mock = await HostileMock.StartAsync(inMemory: false);
        byte[] request = [.. "GET /me HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Request-Id: "u8, .. value, .. "\r\n\r\n"u8];
        var answer = await RawHttp.SendAsync(mock.BaseAddress, request);
        // Kestrel itself refuses some control characters in request headers (400, or it closes the connection).
        Assert.True(answer.Status is null or 200 or 400, answer.Text);
        RawHttp.AssertNoExceptionText(answer.Text);
        if (answer.Status == 200)
        {
            var line = answer.Text.Split("\r\n").Single(l => l.StartsWith("X-Request-Id:", StringComparison.OrdinalIgnoreCase));
            Assert.All(line, c => Assert.True(c is '\t' or (>= ' ' and < (char)0x7F), line));
        }
    }

    [Fact]
    public async Task AnOverflowingChunkSize_Gets400_WithoutExceptionText()
    {
        await using var mock = await HostileMock.StartAsync(inMemory: false);
        // The request stays open after the bad size line: a client that closes its sending side may be taken for one
        // that went away, which gets no answer at all.
        var answer = await RawHttp.SendAsync(mock.BaseAddress,
            "POST /orders HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nffffffffffffffffff\r\n",
            halfClose: false);
        Assert.True(answer.Status == 400, "answer: [" + answer.Text + "]");
        RawHttp.AssertNoExceptionText(answer.Text);
    }

    [Fact]
    public async Task AFailingHandler_Answers500_WithoutExceptionText()
    {
        var definition = new MockServiceDefinition(
            [new MockRoute("GET", null, ["boom"], _ => throw new InvalidOperationException("secret detail at C:\\build"), "GET /boom in mocks.yml")],
            "{}"u8.ToArray(), ["mocks.yml"]);
        await using var mock = await MockServerHost.StartInMemoryAsync(s => MoclojerHosting.AddMockService(s, definition), app => MoclojerHosting.MapMockService(app));
        using var client = mock.CreateClient();
        using var response = await client.GetAsync("/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret detail", text);
        RawHttp.AssertNoExceptionText(text);
    }

    // ---- Built-in documents win over a parameter ----

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task BuiltInDocuments_BeatARootParameter(bool inMemory)
    {
        await using var mock = await HostileMock.StartAsync(inMemory);
        using var client = mock.CreateClient();

        using var swagger = await client.GetAsync("/swagger.json");
        Assert.Equal(HttpStatusCode.OK, swagger.StatusCode);
        Assert.Equal(HostileMock.SwaggerJson, await swagger.Content.ReadAsByteArrayAsync());

        using var openApi = await client.GetAsync("/openapi.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        Assert.Equal(HostileMock.OpenApiJson, await openApi.Content.ReadAsByteArrayAsync());

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/openapi.json"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);

        // The parameter still serves everything else.
        using var byId = await client.GetAsync("/42");
        Assert.Equal("""{"id":42}""", await byId.Content.ReadAsStringAsync());
        using var invalid = await client.GetAsync("/swagger.yaml");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    // ---- File reads stay inside their folder ----

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task TemplatedExternalBodies_ReachOnlyTheMocksJsonDataFiles(bool inMemory)
    {
        await using var mock = await HostileMock.StartAsync(inMemory);
        using var client = mock.CreateClient();

        using var data = await client.GetAsync("/files?p=orders.json");
        Assert.Equal(HttpStatusCode.OK, data.StatusCode);
        Assert.Equal("""{"orders":[1,2]}""", await data.Content.ReadAsStringAsync());

        var assembly = typeof(HostileInputTests).Assembly.GetName().Name;
        foreach (var p in new[] { "Attack.csproj", assembly + ".deps.json", assembly + ".runtimeconfig.json", assembly + ".dll", "linked.json", "..", "../hostile-data/orders.json", "%2Fetc%2Fpasswd" })
        {
            using var refused = await client.GetAsync("/files?p=" + p);
            Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
            var text = await refused.Content.ReadAsStringAsync();
            Assert.Contains("not found", JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
            Assert.DoesNotContain("secret", text);
            Assert.DoesNotContain("<Project", text);
            Assert.DoesNotContain("runtimeOptions", text);
        }
    }

    // ---- Memory a client can grow without bound ----

    [Fact]
    public void RateLimitKeys_AreBoundedPerEndpoint_AndOverflowKeysShareOneCounter()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var limiter = new MockRateLimiter(time, new MoclojerRateLimitOptions { MaxKeysPerEndpoint = 100 }, null, null);
        var limit = new MockRateLimit("GET /x", 60_000, 5, "X-Key");
        var other = new MockRateLimit("GET /y", 60_000, 5, "X-Key");
        for (var i = 0; i < 1000; i++)
        {
            limiter.Acquire(limit, i.ToString("D4") + new string('k', 4096));
        }
        Assert.Equal(100, limiter.KeyCountOf(limit));
        Assert.Equal(900, limiter.OverflowCount);

        // Past the bound, new keys share one counter of max-requests (5): the first 5 overflow requests got through.
        Assert.False(limiter.Acquire(limit, "new-key").Accepted);
        // Keys already held keep their own allowance, and other endpoints are not affected.
        Assert.True(limiter.Acquire(limit, "0001" + new string('k', 4096)).Accepted);
        Assert.True(limiter.Acquire(other, "new-key").Accepted);

        // Once the window has passed, expired keys make room again.
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(limiter.Acquire(limit, "new-key").Accepted);
        Assert.Equal(1, limiter.KeyCountOf(limit));
    }

    [Fact]
    public void LongRateLimitKeys_AreHashed_SoDistinctLongKeysStayDistinct()
    {
        var limiter = new MockRateLimiter(new FakeTimeProvider(), new MoclojerRateLimitOptions { MaxKeyLength = 100 }, null, null);
        var limit = new MockRateLimit("GET /x", 60_000, 1, "X-Key");
        var prefix = new string('p', 4096);
        Assert.True(limiter.Acquire(limit, prefix + "a").Accepted);
        Assert.True(limiter.Acquire(limit, prefix + "b").Accepted);
        Assert.False(limiter.Acquire(limit, prefix + "a").Accepted);
        Assert.Equal(2, limiter.KeyCountOf(limit));
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task RateLimitKeysFromClients_AreBounded_ThroughConfiguration(bool inMemory)
    {
        await using var mock = await HostileMock.StartAsync(inMemory, o => o.Configuration["Moclojer:RateLimits:MaxKeysPerEndpoint"] = "20");
        using var client = mock.CreateClient();
        for (var i = 0; i < 60; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/limited");
            request.Headers.Add("X-Key", i + new string('k', 4096));
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the overflow counter allows 1000 per window
        }
        var limiter = mock.Services.GetRequiredService<MockRateLimiter>();
        Assert.Equal(20, limiter.KeyCountOf(HostileMock.Limit));
        Assert.Equal(40, limiter.OverflowCount);
    }

    [Fact]
    public async Task PendingWebhookBodies_StayWithinTheDefaultByteBudget()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var mock = await HostileMock.StartAsync(inMemory: true, o => o.TimeProvider = time);
        using var client = mock.CreateClient();
        var body = Encoding.UTF8.GetBytes("\"" + new string('x', 5_000_000 - 2) + "\"");
        for (var i = 0; i < 40; i++)
        {
            using var response = await client.PostAsync("/slow-hook", Bytes(body));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        var dispatcher = mock.Services.GetRequiredService<WebhookDispatcher>();
        Assert.InRange(dispatcher.PendingBytes, 1, MoclojerWebhookOptions.DefaultMaxPendingBytes);
        Assert.Equal(13, dispatcher.PendingCount);
        Assert.Equal(27, dispatcher.GetStatistics().Dropped);
        var dropped = mock.Webhooks.Snapshot().Where(r => r.Outcome == WebhookOutcome.Dropped).ToList();
        Assert.Equal(27, dropped.Count);
        Assert.All(dropped, r => Assert.Contains("MaxPendingBytes", r.Error));
    }

    [Fact]
    public async Task PendingWebhookBytes_AreBoundedByConfiguration_AndReleased_OnKestrel()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var mock = await HostileMock.StartAsync(inMemory: false, o =>
        {
            o.TimeProvider = time;
            o.Configuration["Moclojer:Webhooks:MaxPendingBytes"] = "1000000";
        });
        using var client = mock.CreateClient();
        var body = Encoding.UTF8.GetBytes("\"" + new string('x', 200_000 - 2) + "\"");
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.PostAsync("/slow-hook", Bytes(body));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        var dispatcher = mock.Services.GetRequiredService<WebhookDispatcher>();
        Assert.Equal(4, dispatcher.PendingCount);
        Assert.InRange(dispatcher.PendingBytes, 800_000, 1_000_000);
        Assert.Equal(6, dispatcher.GetStatistics().Dropped);

        mock.Reset();
        Assert.Equal(0, dispatcher.PendingBytes);
    }

    // ---- Callback urls cannot reach where they must not ----

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task CallbackUrls_ToLinkLocalOrMetadata_AreRefusedWithoutConnecting(bool inMemory)
    {
        await using var mock = await HostileMock.StartAsync(inMemory);
        using var client = mock.CreateClient();
        var refused = new[]
        {
            "http://169.254.169.254/latest/meta-data/",
            "http://0xa9fea9fe/",
            "http://2852039166/",
            "http://[::ffff:169.254.169.254]/",
            "http://[fe80::1]:8080/",
            "http://metadata.google.internal/computeMetadata/v1/",
            "http://METADATA/",
            "http://metadata.google.internal./",
            "http://100.100.100.200/",
        };
        foreach (var url in refused)
        {
            mock.Webhooks.Clear();
            using var response = await client.PostAsync("/callback", Bytes(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, string> { ["callback"] = url }))));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var record = await mock.Webhooks.WaitForDeliveryAsync(_ => true, TimeSpan.FromSeconds(20));
            Assert.Equal(WebhookOutcome.Failed, record.Outcome);
            Assert.StartsWith("callback url refused: ", record.Error);
            Assert.Null(record.SentAt); // nothing was sent
        }
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task CallbackUrls_ToLoopback_AreAllowedByDefault(bool inMemory)
    {
        // In memory the mock has no port: the callback goes to a second mock on Kestrel.
        await using var target = await HostileMock.StartAsync(inMemory: false);
        await using var mock = await HostileMock.StartAsync(inMemory);
        using var client = mock.CreateClient();
        var url = $"http://localhost:{target.BaseAddress.Port}/ok";
        using var response = await client.PostAsync("/callback", Bytes(Encoding.UTF8.GetBytes("{\"callback\":\"" + url + "\"}")));
        var record = await mock.Webhooks.WaitForDeliveryAsync(_ => true, TimeSpan.FromSeconds(20));
        Assert.Equal(WebhookOutcome.Sent, record.Outcome);
        Assert.Equal(200, record.StatusCode);
        Assert.Single(target.Requests.All, r => r.Path == "/ok");
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task DenyPrivateCallbackAddresses_RefusesLoopbackAndPrivate_ByTheResolvedAddress(bool inMemory)
    {
        await using var target = await HostileMock.StartAsync(inMemory: false);
        await using var mock = await HostileMock.StartAsync(inMemory, o => o.Configuration["Moclojer:Webhooks:DenyPrivateCallbackAddresses"] = "true");
        using var client = mock.CreateClient();
        foreach (var url in new[]
        {
            $"http://localhost:{target.BaseAddress.Port}/ok",   // a name: refused once resolved, at connect time
            $"http://127.0.0.1:{target.BaseAddress.Port}/ok",
            $"http://[::1]:{target.BaseAddress.Port}/ok",
            $"http://0x7f000001:{target.BaseAddress.Port}/ok",
            $"http://0.0.0.0:{target.BaseAddress.Port}/ok",
            "http://10.0.0.1/",
            "http://192.168.1.1/",
            "http://[fd00::1]/",
        })
        {
            mock.Webhooks.Clear();
            using var response = await client.PostAsync("/callback", Bytes(Encoding.UTF8.GetBytes("{\"callback\":\"" + url + "\"}")));
            var record = await mock.Webhooks.WaitForDeliveryAsync(_ => true, TimeSpan.FromSeconds(20));
            Assert.Equal(WebhookOutcome.Failed, record.Outcome);
            Assert.StartsWith("callback url refused: ", record.Error);
        }
        Assert.DoesNotContain(target.Requests.All, r => r.Path == "/ok");
    }

    // ---- A batch of malformed requests ----

    [Fact]
    public async Task ABatchOfMalformedRequests_GetsNo5xx_NoExceptionText_AndTheServiceStillServes()
    {
        await using var mock = await HostileMock.StartAsync(inMemory: false);
        static byte[] Post(string path, byte[] body) =>
            [.. Encoding.Latin1.GetBytes($"POST {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n"), .. body];
        var requests = new List<byte[]>
        {
            Encoding.Latin1.GetBytes("POST /orders HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nabc\r\n0\r\n\r\n"),
            Encoding.Latin1.GetBytes("POST /orders HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
            Encoding.Latin1.GetBytes("POST /orders HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc"),
            Encoding.Latin1.GetBytes("POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\":"),
            Encoding.Latin1.GetBytes("POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"),
            Encoding.Latin1.GetBytes("POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n"),
            Encoding.Latin1.GetBytes("POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
            Encoding.Latin1.GetBytes("GET /me HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\rb\r\n\r\n"),
            Encoding.Latin1.GetBytes("GET /me HTTP/1.1\r\nHost: x\r\nBad Header: a\r\n\r\n"),
            Encoding.Latin1.GetBytes("GET /me\0 HTTP/1.1\r\nHost: x\r\n\r\n"),
            Encoding.Latin1.GetBytes("GET /%ZZ%C0%AF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            Encoding.Latin1.GetBytes("GET /%ff%fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            Encoding.Latin1.GetBytes("BREW /orders HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            Encoding.Latin1.GetBytes("GET " + new string('a', 20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
            Encoding.Latin1.GetBytes("GET /me HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('b', 40_000) + "\r\n\r\n"),
            Encoding.Latin1.GetBytes("GET /limited HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Key: " + new string('k', 8_000) + "\r\n\r\n"),
            Encoding.Latin1.GetBytes("GET /openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
            Encoding.Latin1.GetBytes("\r\n\r\n\r\n"),
            Encoding.Latin1.GetBytes("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"),
            Post("/orders", [.. """{"customer":{"name":"""u8, 0xFF, 0xFE, .. "\"}}"u8]),
            Post("/orders", [.. """{"customer":{"name":"\ud800"}}"""u8]),
            Post("/callback", [.. """{"callback":"http://:99"}"""u8]),
            Post("/slow-hook", [.. """[[[[[[[[[[["""u8]),
            Post("/orders", [.. Enumerable.Repeat((byte)'[', 1001), .. Enumerable.Repeat((byte)']', 1001)]),
        };
        foreach (var request in requests)
        {
            var answer = await RawHttp.SendAsync(mock.BaseAddress, request);
            Assert.False(answer.Status is >= 500, answer.Text);
            RawHttp.AssertNoExceptionText(answer.Text);
        }

        using var client = mock.CreateClient();
        using var me = await client.GetAsync("/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using var order = await client.PostAsync("/orders", Bytes("""{"customer":{"name":"Ana"}}"""u8.ToArray()));
        Assert.Equal("Ana", (await JsonAsync(order)).GetProperty("name").GetString());
    }
}
