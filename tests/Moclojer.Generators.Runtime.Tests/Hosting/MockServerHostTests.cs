using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moclojer.Runtime;
using Moclojer.Runtime.Webhooks;
using static Moclojer.Generators.Runtime.Tests.Hosting.TestMock;

namespace Moclojer.Generators.Runtime.Tests.Hosting;

public sealed class MockServerHostTests
{
    [Fact]
    public async Task StartAsync_ListensOnLoopback_OnAFreePort_OverRealHttp()
    {
        await using var mock = await StartAsync();
        Assert.False(mock.IsInMemory);
        Assert.Equal("127.0.0.1", mock.BaseAddress.Host);
        Assert.True(mock.BaseAddress.Port > 0);

        using var client = mock.CreateClient();
        Assert.Equal(mock.BaseAddress, client.BaseAddress);
        using var response = await client.GetAsync("/orders/5");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"id\":\"5\"}", await response.Content.ReadAsStringAsync());

        using var plain = new HttpClient(mock.CreateHandler());
        using var again = await plain.GetAsync(new Uri(mock.BaseAddress, "orders/6"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var record = await mock.Requests.WaitForAsync(r => r.Path == "/orders/6", Wait);
        Assert.Equal("GET /orders/:id", record.Endpoint);
        Assert.Same(mock.Requests, mock.Services.GetRequiredService<IRequestJournal>());
    }

    [Fact]
    public async Task StartAsync_UsesTheGivenPort()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }
        await using var mock = await StartAsync(o => o.Port = port);
        Assert.Equal(port, mock.BaseAddress.Port);
    }

    [Fact]
    public async Task StartInMemoryAsync_ServesWithoutAPort()
    {
        await using var mock = await StartInMemoryAsync();
        Assert.True(mock.IsInMemory);
        using var client = new HttpClient(mock.CreateHandler()) { BaseAddress = mock.BaseAddress };
        using var response = await client.GetAsync("/orders/5");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(mock.Requests.All);
    }

    [Fact]
    public async Task TwoMocks_RunSideBySide_WithTheirOwnJournals()
    {
        await using var first = await StartInMemoryAsync();
        await using var second = await StartAsync();
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        using var _ = await a.GetAsync("/orders/1");
        using var __ = await b.GetAsync("/orders/2");
        using var ___ = await b.GetAsync("/orders/3");
        Assert.Single(first.Requests.All);
        Assert.Equal(2, second.Requests.All.Count);
        Assert.NotSame(first.Services, second.Services);
    }

    [Fact]
    public async Task WebhooksGoThroughTheWebhookHandler_IntoAnInMemoryReceiver()
    {
        await using var receiver = await StartInMemoryAsync();
        await using var mock = await StartInMemoryAsync(o => o.WebhookHandler = receiver.CreateHandler());
        using var client = mock.CreateClient();
        using var _ = await client.PostAsync("/checkout/42", Json("{\"total\":1500,\"curency\":\"EUR\"}"));

        var hook = await receiver.Requests.WaitForAsync(r => r.Path == "/payments", Wait);
        Assert.Equal("?order=42", hook.QueryString);
        Assert.Equal("sig-42", hook.Header("X-Signature"));
        Assert.Equal("{\"order\":42,\"amount\":1500}", hook.BodyText);

        var delivery = await mock.Webhooks.WaitForDeliveryAsync(r => r.Url.Contains("/payments", StringComparison.Ordinal), Wait);
        Assert.Equal(WebhookOutcome.Sent, delivery.Outcome);
        Assert.Equal(200, delivery.StatusCode);
        Assert.Equal("{\"received\":true}", delivery.ResponseBody);
        Assert.False(delivery.ResponseBodyTruncated);
        Assert.Equal("{\"order\":42,\"amount\":1500}", delivery.RequestBody);
        Assert.Contains(delivery.RequestHeaders!, h => h.Key == "X-Signature" && h.Value == "sig-42");

        // The second webhook's receiver endpoint does not exist there: still sent, answered 404.
        var alert = await mock.Webhooks.WaitForDeliveryAsync(r => r.Index == 1, Wait);
        Assert.Equal(404, alert.StatusCode);
    }

    [Fact]
    public async Task AFakeTimeProvider_DrivesTheWebhookSleepTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        await using var receiver = await StartInMemoryAsync();
        await using var mock = await StartInMemoryAsync(o =>
        {
            o.TimeProvider = time;
            o.WebhookHandler = receiver.CreateHandler();
        });
        using var client = mock.CreateClient();
        using var _ = await client.PostAsync("/checkout/7?sleep=30", Json("{\"total\":1,\"curency\":\"EUR\"}"));

        var record = Assert.Single(mock.Requests.All);
        Assert.Equal(time.GetUtcNow(), record.ReceivedAt);
        var dispatcher = mock.Services.GetRequiredService<WebhookDispatcher>();
        Assert.Equal(2, dispatcher.PendingCount);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(receiver.Requests.All);
        Assert.Equal(2, dispatcher.PendingCount);

        time.Advance(TimeSpan.FromSeconds(1));
        var delivery = await mock.Webhooks.WaitForDeliveryAsync(r => r.Index == 0, Wait);
        Assert.Equal(WebhookOutcome.Sent, delivery.Outcome);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 12, 0, 30, TimeSpan.Zero), delivery.DueAt);
        await receiver.Requests.WaitForAsync(r => r.Path == "/payments", Wait);
    }

    [Fact]
    public async Task AFalseCondition_IsJournaledAsSkipped_WithTheConditionAndItsValues()
    {
        await using var receiver = await StartInMemoryAsync();
        await using var mock = await StartInMemoryAsync(o => o.WebhookHandler = receiver.CreateHandler());
        using var client = mock.CreateClient();
        using var _ = await client.PostAsync("/checkout/42", Json("{\"total\":1500,\"currency\":\"EUR\"}"));

        var skipped = await mock.Webhooks.WaitForDeliveryAsync(r => r.Outcome == WebhookOutcome.Skipped, Wait);
        Assert.Equal(CheckoutEndpoint, skipped.Endpoint);
        Assert.Equal(1, skipped.Index);
        Assert.Equal("condition false", skipped.Error);
        Assert.Equal("(not= json-params.curency \"\")", skipped.Condition);
        Assert.Equal(["json-params.curency = \"\" (absent)"], skipped.ConditionValues);
        Assert.Equal("http://receiver.test/alerts", skipped.Url);
        Assert.Contains("condition false", skipped.ToString());
        Assert.Equal(1, mock.Services.GetRequiredService<WebhookDispatcher>().GetStatistics().Skipped);

        // And over HTTP, in the webhook journal.
        using var journal = await client.GetStringAsync("/__moclojer/webhooks").ContinueWith(t => new StringContent(t.Result));
        var text = await journal.ReadAsStringAsync();
        Assert.Contains("\"conditionValues\":[\"json-params.curency = \\u0022\\u0022 (absent)\"]", text);
    }

    [Fact]
    public async Task RecordConditionFalse_FormatsPresentValuesQuoted()
    {
        await using var mock = await StartInMemoryAsync();
        var dispatcher = mock.Services.GetRequiredService<WebhookDispatcher>();
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Headers[WebhookDispatcher.DepthHeaderName] = "2";
        dispatcher.RecordConditionFalse(context, "POST /x", DateTimeOffset.UnixEpoch, 0, "POST", "http://h/", "(> json-params.total 10)",
            ("json-params.total", "5"), ("header-params.X-Q", "a\"b"));
        var record = Assert.Single(mock.Webhooks.Snapshot());
        Assert.Equal(WebhookOutcome.Skipped, record.Outcome);
        Assert.Equal(3, record.Depth);
        Assert.Equal(["json-params.total = \"5\"", "header-params.X-Q = \"a\\\"b\""], record.ConditionValues);
    }

    [Fact]
    public async Task Reset_ClearsJournalsRateLimitsAndPendingWebhooks()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        await using var receiver = await StartInMemoryAsync();
        await using var mock = await StartInMemoryAsync(o =>
        {
            o.TimeProvider = time;
            o.WebhookHandler = receiver.CreateHandler();
        });
        using var client = mock.CreateClient();
        using (var first = await client.GetAsync("/limited"))
        using (var second = await client.GetAsync("/limited"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        }
        using var _ = await client.PostAsync("/checkout/1?sleep=60", Json("{\"total\":1}"));
        var dispatcher = mock.Services.GetRequiredService<WebhookDispatcher>();
        Assert.Equal(1, dispatcher.PendingCount);
        Assert.NotEmpty(mock.Webhooks.Snapshot()); // the skipped alert
        Assert.Equal(3, mock.Requests.All.Count);

        mock.Reset();

        Assert.Empty(mock.Requests.All);
        Assert.Empty(mock.Webhooks.Snapshot());
        Assert.Equal(0, dispatcher.PendingCount);
        using (var afterReset = await client.GetAsync("/limited"))
        {
            Assert.Equal(HttpStatusCode.OK, afterReset.StatusCode);
        }

        // The cancelled webhook is never sent, nor journaled.
        time.Advance(TimeSpan.FromMinutes(2));
        await Task.Delay(100);
        Assert.Empty(receiver.Requests.All);
        Assert.Empty(mock.Webhooks.Snapshot());
        Assert.Equal(0, dispatcher.GetStatistics().Sent);
    }

    [Fact]
    public async Task Reset_CancelsAWebhookBeingSent_WithoutJournalingIt()
    {
        var stall = new StallingHandler();
        await using var mock = await StartInMemoryAsync(o => o.WebhookHandler = stall);
        using var client = mock.CreateClient();
        using var _ = await client.PostAsync("/checkout/1", Json("{\"total\":1,\"curency\":\"EUR\"}"));
        await stall.Started.Task.WaitAsync(Wait);
        mock.Webhooks.Clear();

        mock.Reset();

        await stall.Cancelled.Task.WaitAsync(Wait);
        var dispatcher = mock.Services.GetRequiredService<WebhookDispatcher>();
        Assert.Equal(0, dispatcher.PendingCount);
        await Task.Delay(100);
        Assert.Empty(mock.Webhooks.Snapshot());
    }

    [Fact]
    public async Task TypedEndpointCalls_ConvertTheRecordedPathValues()
    {
        await using var mock = await StartInMemoryAsync();
        var checkout = new MockEndpointCalls<(int OrderId, RequestRecord Request)>(mock.Services, CheckoutEndpoint,
            static (RequestRecord record, out (int, RequestRecord) call) =>
            {
                var ok = int.TryParse(record.PathValues[0], out var id);
                call = (id, record);
                return ok;
            });
        using var client = mock.CreateClient();
        var wait = checkout.WaitForCallAsync(Wait);
        using var _ = await client.PostAsync("/checkout/abc", Json("{}")); // 400: not a call
        using var __ = await client.PostAsync("/checkout/42", Json("{\"total\":1}"));
        var call = await wait;
        Assert.Equal(42, call.OrderId);
        Assert.Equal(202, call.Request.StatusCode);
        Assert.Single(checkout.Calls);
        Assert.Contains(checkout.Webhooks, w => w.Outcome == WebhookOutcome.Skipped);

        var none = new MockEndpointCalls<RequestRecord>(mock.Services, "GET /nothing", static (RequestRecord r, out RequestRecord c) => { c = r; return true; });
        var error = await Assert.ThrowsAsync<TimeoutException>(() => none.WaitForCallAsync(TimeSpan.Zero));
        Assert.StartsWith("No call of GET /nothing.", error.Message);
        Assert.Contains("POST /checkout/42 -> 202", error.Message);
    }

    [Fact]
    public async Task DisposeAsync_IsIdempotent_AndQuickWithPendingWebhooks()
    {
        var mock = await StartAsync(o => o.WebhookHandler = new StallingHandler());
        using var client = mock.CreateClient();
        using var _ = await client.PostAsync("/checkout/1?sleep=3600", Json("{}"));
        var started = System.Diagnostics.Stopwatch.StartNew();
        await mock.DisposeAsync();
        await mock.DisposeAsync();
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), started.Elapsed.ToString());
        Assert.Throws<ObjectDisposedException>(() => mock.CreateClient());
    }

    private sealed class StallingHandler : HttpMessageHandler
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
