using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Moclojer.Runtime;
using static Moclojer.Generators.Runtime.Tests.Hosting.TestMock;

namespace Moclojer.Generators.Runtime.Tests.Hosting;

public sealed class RequestJournalTests
{
    [Fact]
    public async Task AMatchedRequest_IsRecorded_WithEndpointStatusPathValuesHeadersAndBody()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/checkout/42?sleep=0&x=a%20b") { Content = Json("{\"total\":1500}") };
        request.Headers.Add("X-Trace", ["a", "b"]);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var record = Assert.Single(mock.Requests.All);
        Assert.Equal(1, record.Sequence);
        Assert.Equal("POST", record.Method);
        Assert.Equal("/checkout/42", record.Path);
        Assert.Equal("?sleep=0&x=a%20b", record.QueryString);
        Assert.Equal(CheckoutEndpoint, record.Endpoint);
        Assert.Equal(202, record.StatusCode);
        Assert.Equal(["42"], record.PathValues);
        Assert.Equal("a, b", record.Header("x-trace"));
        Assert.Equal("{\"total\":1500}", record.BodyText);
        Assert.False(record.BodyTruncated);
        Assert.True(record.Matched);
        Assert.Null(record.NearMiss);
        Assert.Empty(mock.Requests.Unmatched);
        Assert.Equal(1, mock.Requests.Count(r => r.Path == "/checkout/42"));
    }

    [Fact]
    public async Task TheJournal_NeverGrowsPastItsCapacity()
    {
        await using var mock = await StartInMemoryAsync(o => o.Requests = r => r.Capacity = 3);
        using var client = mock.CreateClient();
        for (var i = 1; i <= 10; i++)
        {
            using var _ = await client.GetAsync($"/orders/{i}");
            Assert.True(mock.Requests.All.Count <= 3);
        }
        Assert.Equal(3, mock.Requests.Capacity);
        Assert.Equal(["/orders/8", "/orders/9", "/orders/10"], mock.Requests.All.Select(r => r.Path));
        Assert.Equal([8L, 9L, 10L], mock.Requests.All.Select(r => r.Sequence));
    }

    [Fact]
    public async Task CountUnmatchedAndWaits_ReadTheKeptRecordsInOrder_AfterTheRingWrapsAround()
    {
        await using var mock = await StartInMemoryAsync(o => o.Requests = r => r.Capacity = 3);
        using var client = mock.CreateClient();
        foreach (var path in new[] { "/orders/1", "/order/2", "/orders/3", "/order/4", "/orders/5" })
        {
            using var _ = await client.GetAsync(path);
        }

        // Kept: /orders/3, /order/4, /orders/5 (the ring's start is in its middle).
        Assert.Equal(2, mock.Requests.Count(r => r.Path.StartsWith("/orders/", StringComparison.Ordinal)));
        Assert.Equal(3, mock.Requests.Count(_ => true));
        Assert.Equal(["/order/4"], mock.Requests.Unmatched.Select(r => r.Path));
        var two = await mock.Requests.WaitForCountAsync(r => r.Path.StartsWith("/orders/", StringComparison.Ordinal), 2, TimeSpan.Zero);
        Assert.Equal(["/orders/3", "/orders/5"], two.Select(r => r.Path));
        Assert.Equal("/orders/3", (await mock.Requests.WaitForAsync(r => r.Path.StartsWith("/orders/", StringComparison.Ordinal), TimeSpan.Zero)).Path);
    }

    [Fact]
    public async Task AWaitForMoreThanIsKept_CountsTheKeptOnes_AndCompletesWithTheNext()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        using var _ = await client.GetAsync("/orders/1");

        var wait = mock.Requests.WaitForCountAsync(r => r.Path.StartsWith("/orders/", StringComparison.Ordinal), 2, Wait);
        Assert.False(wait.IsCompleted);
        using var __ = await client.GetAsync("/orders/2");
        Assert.Equal(["/orders/1", "/orders/2"], (await wait).Select(r => r.Path));
    }

    [Fact]
    public async Task APredicateThatThrows_FaultsTheWait()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        using var _ = await client.GetAsync("/orders/1");

        var wait = mock.Requests.WaitForAsync(_ => throw new InvalidOperationException("bad predicate"), Wait);
        Assert.Equal("bad predicate", (await Assert.ThrowsAsync<InvalidOperationException>(() => wait)).Message);
        Assert.Throws<InvalidOperationException>(() => mock.Requests.Count(_ => throw new InvalidOperationException("bad predicate")));
        Assert.Equal(1, mock.Requests.Count(_ => true));
    }

    [Fact]
    public async Task CapacityZero_RecordsNothing()
    {
        await using var mock = await StartInMemoryAsync(o => o.Configuration["Moclojer:Requests:Capacity"] = "0");
        using var client = mock.CreateClient();
        using var response = await client.PostAsync("/upload", Json("{}"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(mock.Requests.All);
    }

    [Theory]
    [InlineData("/checkout/7")] // the handler reads the body: the bytes it read are recorded
    [InlineData("/upload")] // the handler never reads it: read after the handler, up to the cap
    public async Task ABodyBeyond64KiB_IsTruncatedInTheRecord_AndSaysSo(string path)
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        var big = "{\"pad\":\"" + new string('x', 70 * 1024) + "\"}";
        using var _ = await client.PostAsync(path, Json(big));
        using var __ = await client.PostAsync(path, Json("{\"small\":true}"));

        var records = mock.Requests.All;
        Assert.Equal(2, records.Count);
        Assert.True(records[0].BodyTruncated, records[0].Body.Length.ToString());
        Assert.Equal(64 * 1024, records[0].Body.Length);
        Assert.StartsWith("{\"pad\":\"xxx", records[0].BodyText);
        Assert.False(records[1].BodyTruncated);
        Assert.Equal("{\"small\":true}", records[1].BodyText);
    }

    [Fact]
    public async Task ABodyOfExactlyTheCap_IsNotTruncated()
    {
        await using var mock = await StartInMemoryAsync(o => o.Requests = r => r.MaxBodyBytes = 10);
        using var client = mock.CreateClient();
        using var _ = await client.PostAsync("/upload", new StringContent("0123456789"));
        using var __ = await client.PostAsync("/upload", new StringContent("0123456789A"));
        var records = mock.Requests.All;
        Assert.Equal(("0123456789", false), (records[0].BodyText, records[0].BodyTruncated));
        Assert.Equal(("0123456789", true), (records[1].BodyText, records[1].BodyTruncated));
    }

    [Fact]
    public async Task AnUnmatchedRequest_HasANearMiss_NamingTheDifferingSegment()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        using var response = await client.GetAsync("/order/1");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        var record = Assert.Single(mock.Requests.Unmatched);
        Assert.Null(record.Endpoint);
        Assert.Equal(404, record.StatusCode);
        Assert.Equal(new NearMiss("GET /orders/:id", "path segment 'order' differs from 'orders'"), record.NearMiss);
    }

    [Fact]
    public async Task AnUnmatchedRequest_HasANearMiss_NamingTheHost()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        using var response = await client.GetAsync("http://api.example.com/admin");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var record = Assert.Single(mock.Requests.Unmatched);
        Assert.Equal("GET /admin", record.NearMiss!.Endpoint);
        Assert.Equal("host api.example.com differs from api.shop.test", record.NearMiss.Reason);
    }

    [Fact]
    public async Task AWrongMethod_HasANearMiss_ListingTheAllowedMethods()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        using var response = await client.PostAsync("/orders/5", Json("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        var record = Assert.Single(mock.Requests.Unmatched);
        Assert.Equal(405, record.StatusCode);
        Assert.Equal(new NearMiss("GET /orders/:id", "method POST, the path allows GET, HEAD"), record.NearMiss);
        Assert.Equal("{}", record.BodyText);
    }

    [Fact]
    public async Task BuiltInAnswers_AreRecorded_ButAreNotUnmatched()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        using var _ = await client.GetAsync("/swagger.json");
        var record = Assert.Single(mock.Requests.All);
        Assert.Equal(200, record.StatusCode);
        Assert.Null(record.Endpoint);
        Assert.Empty(mock.Requests.Unmatched);
    }

    [Fact]
    public async Task WaitForAsync_CompletesWithAKeptRecordOrTheNextOne()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        using var _ = await client.GetAsync("/orders/1");
        var kept = await mock.Requests.WaitForAsync(r => r.Path == "/orders/1", Wait);
        Assert.Equal(1, kept.Sequence);

        var next = mock.Requests.WaitForAsync(r => r.Path == "/orders/2", Wait);
        Assert.False(next.IsCompleted);
        using var __ = await client.GetAsync("/orders/2");
        Assert.Equal(200, (await next).StatusCode);

        var two = await mock.Requests.WaitForCountAsync(r => r.Path.StartsWith("/orders/", StringComparison.Ordinal), 2, Wait);
        Assert.Equal(["/orders/1", "/orders/2"], two.Select(r => r.Path));
    }

    [Fact]
    public async Task WaitForAsync_TimesOut_WithAMessageListingWhatArrivedInstead()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        using var _ = await client.GetAsync("/orders/1");
        using var __ = await client.GetAsync("/order/1");

        var error = await Assert.ThrowsAsync<TimeoutException>(() => mock.Requests.WaitForAsync(r => r.Path == "/never", TimeSpan.FromMilliseconds(100)));
        Assert.Contains("No request matched the predicate within 0.1 s", error.Message);
        Assert.Contains("It received 2 request(s) instead:", error.Message);
        Assert.Contains("#1 GET /orders/1 -> 200 GET /orders/:id", error.Message);
        Assert.Contains("#2 GET /order/1 -> 404 (unmatched; nearest GET /orders/:id: path segment 'order' differs from 'orders')", error.Message);
    }

    [Fact]
    public async Task TheTimeoutMessage_IsBounded()
    {
        await using var mock = await StartInMemoryAsync();
        using var client = mock.CreateClient();
        for (var i = 0; i < 30; i++)
        {
            using var _ = await client.GetAsync("/orders/" + new string('9', 500) + i);
        }
        var error = await Assert.ThrowsAsync<TimeoutException>(() => mock.Requests.WaitForAsync(_ => false, TimeSpan.Zero));
        Assert.Contains("It received 30 request(s) instead; the latest 20:", error.Message);
        Assert.True(error.Message.Length < 20 * 310 + 300, error.Message.Length.ToString());
    }

    [Fact]
    public async Task AnEmptyJournal_SaysNothingArrived()
    {
        await using var mock = await StartInMemoryAsync();
        var error = await Assert.ThrowsAsync<TimeoutException>(() => mock.Requests.WaitForAsync(_ => true, TimeSpan.Zero));
        Assert.Contains("received no request at all", error.Message);
    }

    [Fact]
    public async Task A_client_that_has_its_answer_finds_its_request_in_the_journal_OverRealHttp()
    {
        await using var mock = await StartAsync();
        using var client = mock.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            using var response = await client.PostAsync("/upload", new StringContent("body " + i));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            // No wait: the record is in the journal before the answer leaves the mock.
            Assert.Equal(i + 1, mock.Requests.All.Count);
            Assert.Equal("body " + i, mock.Requests.All[^1].BodyText);
        }
    }

    [Fact]
    public async Task An_unread_body_is_read_before_the_answer_so_the_record_is_whole_OverRealHttp()
    {
        await using var mock = await StartAsync();
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(mock.BaseAddress.Host, mock.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /upload HTTP/1.1\r\nHost: x\r\nX-Trace: a\r\nContent-Length: 12\r\nX-Trace: b\r\n\r\nfirst "));
        await stream.WriteAsync("second"u8.ToArray());
        var buffer = new byte[1024];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Wait);

        Assert.StartsWith("HTTP/1.1 204", Encoding.ASCII.GetString(buffer, 0, read));
        var record = Assert.Single(mock.Requests.All);
        Assert.Equal("first second", record.BodyText);
        Assert.Equal(204, record.StatusCode);
        // Kestrel's own header collection (the in-memory host's is another type): known headers and others, a header
        // sent twice as one.
        Assert.Equal(3, record.Headers.Count);
        Assert.Equal("x", record.Header("host"));
        Assert.Equal("12", record.Header("content-length"));
        Assert.Equal("a, b", record.Header("x-trace"));
        // By position as by enumeration.
        Assert.Equal(record.Headers, Enumerable.Range(0, record.Headers.Count).Select(i => record.Headers[i]));
    }

    /// <summary>
    /// The journal's promise to a test: the request is recorded, with its final status, before its response starts, so
    /// a client that has its answer finds it. Checked at the moment each response starts, for every way a handler
    /// answers: a body written (static, after reading JSON), a 400 for a bad parameter, a 429, a status without a body
    /// whose request body nobody read, and an unmatched request.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_request_is_recorded_with_its_final_status_before_its_response_starts(bool inMemory)
    {
        var atStart = new System.Collections.Concurrent.ConcurrentQueue<(string Path, int Status, RequestRecord? Last)>();
        IRequestJournal? journal = null;
        await using var mock = await StartAsync(inMemory, async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var all = journal!.All;
                atStart.Enqueue((context.Request.Path.Value!, context.Response.StatusCode, all.Count > 0 ? all[^1] : null));
                return Task.CompletedTask;
            });
            await next(context);
        });
        journal = mock.Requests;
        using var client = mock.CreateClient();

        (string Method, string Path, HttpContent? Body, int Status)[] requests =
        [
            ("GET", "/orders/7", null, 200),
            ("POST", "/checkout/42", Json("{\"total\":1}"), 202),
            ("POST", "/checkout/abc", null, 400),
            ("GET", "/limited", null, 200),
            ("GET", "/limited", null, 429),
            ("POST", "/upload", new StringContent("never read by the handler"), 204),
            ("GET", "/nowhere", null, 404),
        ];
        foreach (var (method, path, body, status) in requests)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body };
            using var response = await client.SendAsync(request);
            Assert.Equal(status, (int)response.StatusCode);
        }

        Assert.Equal(requests.Length, atStart.Count);
        foreach (var ((_, path, _, status), (startedPath, startedStatus, last)) in requests.Zip(atStart))
        {
            Assert.Equal(path, startedPath);
            Assert.Equal(status, startedStatus);
            Assert.NotNull(last);
            Assert.Equal(path, last.Path);
            Assert.Equal(status, last.StatusCode);
        }
        Assert.Equal("never read by the handler", mock.Requests.All.Single(r => r.Path == "/upload").BodyText);
    }

    /// <summary>
    /// Under a path base (a project's <c>UsePathBase</c>) the record keeps the path as the client sent it, base
    /// included, as the router matched it: a test that asserts on the path it requested finds it.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_request_under_a_path_base_is_recorded_with_its_whole_path(bool inMemory)
    {
        await using var mock = await StartAsync(inMemory, (context, next) =>
        {
            // What UsePathBase("/orders") does to GET /orders/7.
            context.Request.PathBase = "/orders";
            context.Request.Path = context.Request.Path.Value!["/orders".Length..];
            return next(context);
        });
        using var client = mock.CreateClient();
        using var response = await client.GetAsync("/orders/7?x=1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var record = Assert.Single(mock.Requests.All);
        Assert.Equal("/orders/7", record.Path);
        Assert.Equal("?x=1", record.QueryString);
        Assert.Equal(["7"], record.PathValues);
    }

    /// <summary>
    /// The answers the mock's writers do not start are recorded too: a WebSocket upgrade with its 101 before the client
    /// has it, an answer left to the server because the body it carries could not be read (to an endpoint that never
    /// reads it), and a handler that starts its response through the <see cref="HttpContext"/> overloads (late, once it
    /// returns, with its body).
    /// </summary>
    [Fact]
    public async Task Answers_the_mock_writers_do_not_start_are_recorded_too_OverRealHttp()
    {
        static async Task Socket(MockRequest request)
        {
            using var session = await MockWebSocketSession.AcceptAsync(request);
            if (session is null)
            {
                return;
            }
            while (await session.ReceiveAsync() is not null)
            {
            }
        }
        var definition = new MockServiceDefinition(
            [
                new("GET", null, ["socket"], Socket, "GET /socket in mocks.yml"),
                new("POST", null, ["silent"], r => { r.HttpContext.Response.StatusCode = 204; return Task.CompletedTask; }, "POST /silent in mocks.yml"),
                new("POST", null, ["by-hand"], r => MockResponses.WriteStaticAsync(r.HttpContext, 201, MockResponses.JsonContentType, "{}"u8.ToArray()), "POST /by-hand in mocks.yml"),
            ],
            "{}"u8.ToArray(),
            ["mocks.yml"]);
        await using var mock = await MockServerHost.StartAsync(s => MoclojerHosting.AddMockService(s, definition), app => MoclojerHosting.MapMockService(app));

        using (var socket = new System.Net.WebSockets.ClientWebSocket())
        {
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{mock.BaseAddress.Port}/socket"), CancellationToken.None);
            var upgrade = Assert.Single(mock.Requests.All);
            Assert.Equal(("/socket", 101), (upgrade.Path, upgrade.StatusCode));
            await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        var answer = await Moclojer.Generators.Runtime.Tests.Security.RawHttp.SendAsync(mock.BaseAddress,
            Encoding.Latin1.GetBytes("POST /silent HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"), halfClose: false);
        // The endpoint never needed the body: the server sends the endpoint's answer, and the record has that status.
        Assert.Equal(204, answer.Status);
        var silent = await mock.Requests.WaitForAsync(r => r.Path == "/silent", Wait);
        Assert.Equal(204, silent.StatusCode);
        Assert.True(silent.Body.IsEmpty);

        using var client = mock.CreateClient();
        using var response = await client.PostAsync("/by-hand", new StringContent("sent by the client"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var byHand = await mock.Requests.WaitForAsync(r => r.Path == "/by-hand", Wait);
        Assert.Equal(201, byHand.StatusCode);
        Assert.Equal("sent by the client", byHand.BodyText);
    }
}
