using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Moclojer.Runtime.Webhooks;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

/// <summary>A real mock service on Kestrel sending webhooks to a real receiver on 127.0.0.1.</summary>
public sealed class EndToEndTests
{
    /// <summary>Maps an endpoint that dispatches the given entries like a generated handler, then answers 202.</summary>
    private static void MapHook(WebApplication app, string method, string pattern, Func<HttpContext, WebhookEntry[]> entries, string name = "")
    {
        app.MapMethods(pattern, [method], async context =>
        {
            var receivedAt = TimeProvider.System.GetUtcNow();
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            context.Items["body"] = Encoding.UTF8.GetString(buffer.ToArray());
            var dispatcher = context.RequestServices.GetRequiredService<WebhookDispatcher>();
            dispatcher.Dispatch(context, name.Length > 0 ? name : method + " " + pattern, receivedAt, entries(context));
            context.Response.StatusCode = 202;
            await context.Response.WriteAsync("{\"queued\":true}");
        });
    }

    private static string Body(HttpContext context) => (string)context.Items["body"]!;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task TheWebhook_ArrivesOnTheWire_AsConfigured()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var mock = await MockApp.StartAsync(app => MapHook(app, "POST", "/orders/{id}", context =>
        [
            Entry(0, $"http://127.0.0.1:{receiver.Port}/hooks/orders/{context.Request.RouteValues["id"]}?q=a%20b%2Fc", sleepSeconds: 0,
                body: "{\"id\": \"" + context.Request.RouteValues["id"] + "\", \"échec\": \"ção\"}",
                headers: [("Authorization", "Bearer AbC-123"), ("X-Static", "MixedCase-Value"), ("X-Evil", "a\r\nX-Injected: yes\r\n\r\nGET / HTTP/1.1")]),
        ]));

        using var response = await mock.Client.PostAsync("/orders/A1", Json("{}"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var hook = await receiver.NextAsync();
        Assert.Equal("POST", hook.Method);
        Assert.Equal("/hooks/orders/A1?q=a%20b%2Fc", hook.RawTarget);
        Assert.Equal("{\"id\": \"A1\", \"échec\": \"ção\"}", hook.BodyText);
        Assert.Equal("application/json", hook.Header("Content-Type"));
        Assert.Equal("Bearer AbC-123", hook.Header("Authorization"));
        Assert.Equal("MixedCase-Value", hook.Header("X-Static"));
        Assert.Equal("aX-Injected: yesGET / HTTP/1.1", hook.Header("X-Evil"));
        Assert.Null(hook.Header("X-Injected"));
        Assert.Equal("1", hook.Header(WebhookDispatcher.DepthHeaderName));
        Assert.StartsWith("Moclojer.Generators/", hook.Header("User-Agent"));
        Assert.Null(hook.Header("traceparent"));

        var record = await mock.Journal.WaitForDeliveryAsync(r => r.Outcome == WebhookOutcome.Sent, Wait);
        Assert.Equal(200, record.StatusCode);
        Assert.Single(receiver.Requests); // nothing else, and nothing retried
    }

    [Fact]
    public async Task WithNothingListening_TheWebhookContinuesTheCallersTrace()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var mock = await MockApp.StartAsync(app => MapHook(app, "POST", "/orders/{id}", _ =>
        [
            Entry(0, $"http://127.0.0.1:{receiver.Port}/hooks/a", sleepSeconds: 0),
            Entry(1, $"http://127.0.0.1:{receiver.Port}/hooks/b", sleepSeconds: 0, headers: [("traceparent", "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-00")]),
        ]));
        const string caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders/A1") { Content = Json("{}") };
        request.Headers.TryAddWithoutValidation("traceparent", caller);
        request.Headers.TryAddWithoutValidation("tracestate", "vendor=1");
        using var response = await mock.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var first = await receiver.NextAsync();
        var second = await receiver.NextAsync();
        var (a, b) = first.RawTarget == "/hooks/a" ? (first, second) : (second, first);
        Assert.Equal(caller, a.Header("traceparent"));
        Assert.Equal("vendor=1", a.Header("tracestate"));
        // A traceparent written in the mock file still wins.
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-00", b.Header("traceparent"));
    }

    [Fact]
    public async Task AnOversizedTraceState_IsNotCarriedToTheWebhook()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var mock = await MockApp.StartAsync(app => MapHook(app, "POST", "/orders/{id}", _ =>
        [
            Entry(0, $"http://127.0.0.1:{receiver.Port}/hooks/a", sleepSeconds: 0),
        ]));
        const string caller = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders/A1") { Content = Json("{}") };
        request.Headers.TryAddWithoutValidation("traceparent", caller);
        request.Headers.TryAddWithoutValidation("tracestate", "vendor=" + new string('x', Moclojer.Runtime.MoclojerTracing.MaxTraceStateLength));
        using var response = await mock.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var hook = await receiver.NextAsync();
        Assert.Equal(caller, hook.Header("traceparent"));
        Assert.Null(hook.Header("tracestate"));
    }

    [Fact]
    public async Task AWebhookWithoutBody_HasNoContentType_OnTheWire()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var mock = await MockApp.StartAsync(app => MapHook(app, "POST", "/x", _ =>
        [
            Entry(0, $"http://127.0.0.1:{receiver.Port}/hooks/delete", method: "DELETE"),
        ]));

        await mock.Client.PostAsync("/x", Json("{}"));
        var hook = await receiver.NextAsync();
        Assert.Equal("DELETE", hook.Method);
        Assert.Empty(hook.Body);
        Assert.Null(hook.Header("Content-Type"));
    }

    [Fact]
    public async Task ACallbackUrl_IsUsedAsItIs_AndAnInvalidOneSendsNothing()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var mock = await MockApp.StartAsync(app => MapHook(app, "POST", "/subscriptions", context =>
        {
            using var json = JsonDocument.Parse(Body(context));
            var callback = json.RootElement.TryGetProperty("callback_url", out var value) ? value.GetString() ?? "" : "";
            return [Entry(0, callback, kind: WebhookUrlKind.Callback, body: "{\"event\":\"subscription.created\"}")];
        }));

        await mock.Client.PostAsync("/subscriptions", Json($"{{\"callback_url\":\"ftp://127.0.0.1:{receiver.Port}/cb\"}}"));
        var invalid = await mock.Journal.WaitForDeliveryAsync(_ => true, Wait);
        Assert.Equal(WebhookOutcome.Failed, invalid.Outcome);

        await mock.Client.PostAsync("/subscriptions", Json($"{{\"callback_url\":\"http://127.0.0.1:{receiver.Port}/cb/subs?token=a%20b&x=1\"}}"));
        var hook = await receiver.NextAsync();
        Assert.Equal("/cb/subs?token=a%20b&x=1", hook.RawTarget);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task ARelativeUrl_ReachesTheServiceItself_OnTheSameVirtualHost_AndChains()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var mock = await MockApp.StartAsync(app =>
        {
            MapHook(app, "POST", "/orders", _ =>
            [
                Entry(0, "/internal/fulfil/o-1?note=gift%20wrap%20%26%20card", kind: WebhookUrlKind.Relative, body: "{\"items\":[\"book\"]}"),
            ]);
            MapHook(app, "POST", "/internal/fulfil/{id}", context =>
            [
                Entry(0, $"http://127.0.0.1:{receiver.Port}/hooks/fulfilled/{context.Request.RouteValues["id"]}", body: Body(context), headers:
                [
                    ("X-Incoming-Depth", context.Request.Headers[WebhookDispatcher.DepthHeaderName].ToString()),
                    ("X-Incoming-Host", context.Request.Host.Value ?? ""),
                    ("X-Incoming-Note", context.Request.Query["note"].ToString()),
                ]),
            ]);
        });

        using var request = new HttpRequestMessage(HttpMethod.Post, "/orders") { Content = Json("{}") };
        request.Headers.Host = "shop.test:8080";
        using var response = await mock.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var hook = await receiver.NextAsync();
        Assert.Equal("/hooks/fulfilled/o-1", hook.RawTarget);
        Assert.Equal("{\"items\":[\"book\"]}", hook.BodyText);
        Assert.Equal("1", hook.Header("X-Incoming-Depth"));
        Assert.Equal("shop.test:8080", hook.Header("X-Incoming-Host"));
        Assert.Equal("gift wrap & card", hook.Header("X-Incoming-Note"));
        Assert.Equal("2", hook.Header(WebhookDispatcher.DepthHeaderName));
    }

    [Fact]
    public async Task AWebhookLoop_StopsAtDepthTen()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var mock = await MockApp.StartAsync(app => MapHook(app, "POST", "/loop", context =>
        [
            Entry(0, $"http://127.0.0.1:{receiver.Port}/hooks/loop?from={context.Request.Headers[WebhookDispatcher.DepthHeaderName]}"),
            Entry(1, "/loop", kind: WebhookUrlKind.Relative),
        ]));

        await mock.Client.PostAsync("/loop", null);

        // The 11th hop is skipped: both entries of the request at depth 10.
        await mock.Journal.WaitForDeliveryAsync(r => r.Outcome == WebhookOutcome.Skipped && r.Index == 1, Wait);
        await mock.Journal.WaitForDeliveryAsync(r => r.Depth == 10 && r.Index == 0 && r.Outcome == WebhookOutcome.Sent, Wait);
        var targets = receiver.Requests.Select(r => r.RawTarget).Order().ToList();
        Assert.Equal(10, targets.Count);
        Assert.Equal(["/hooks/loop?from=", .. Enumerable.Range(1, 9).Select(i => $"/hooks/loop?from={i}")], targets.Order().ToList());
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i.ToString()).Order(), receiver.Requests.Select(r => r.Header(WebhookDispatcher.DepthHeaderName)!).Order());
        Assert.Equal(2, mock.Journal.Snapshot().Count(r => r.Outcome == WebhookOutcome.Skipped));
    }

    [Fact]
    public async Task ASlowTarget_NeverDelaysTheClient()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var mock = await MockApp.StartAsync(app => MapHook(app, "POST", "/exports", _ =>
        [
            Entry(0, $"http://127.0.0.1:{receiver.Port}/stall/exports", timeoutSeconds: 60, body: "{\"export\":\"ready\"}"),
        ]));

        // The receiver holds the webhook until released, yet the client gets its answer.
        using var response = await mock.Client.PostAsync("/exports", Json("{}"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("{\"queued\":true}", await response.Content.ReadAsStringAsync());
        Assert.Empty(mock.Journal.Snapshot());
        Assert.Equal(1, mock.Dispatcher.PendingCount);

        await receiver.NextAsync();
        receiver.ReleaseStalled();
        Assert.Equal(WebhookOutcome.Sent, (await mock.Journal.WaitForDeliveryAsync(_ => true, Wait)).Outcome);
    }

    [Fact]
    public async Task ATimedOutWebhook_IsRecordedFailed_AndTheNextEntryFollowsIt()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var mock = await MockApp.StartAsync(app => MapHook(app, "POST", "/exports", _ =>
        [
            Entry(0, $"http://127.0.0.1:{receiver.Port}/stall/exports", timeoutSeconds: 0.3, body: "{\"export\":\"ready\"}"),
            Entry(1, $"http://127.0.0.1:{receiver.Port}/hooks/exports/after", body: "{\"export\":\"after\"}"),
        ]));

        Assert.Equal(HttpStatusCode.Accepted, (await mock.Client.PostAsync("/exports", Json("{}"))).StatusCode);
        Assert.Equal("/stall/exports", (await receiver.NextAsync()).RawTarget);

        var timedOut = await mock.Journal.WaitForDeliveryAsync(r => r.Index == 0, Wait);
        Assert.Equal(WebhookOutcome.Failed, timedOut.Outcome);
        Assert.Contains("timeout of 0.3 s", timedOut.Error);
        Assert.Equal("/hooks/exports/after", (await receiver.NextAsync()).RawTarget);
        Assert.Equal(WebhookOutcome.Sent, (await mock.Journal.WaitForDeliveryAsync(r => r.Index == 1, Wait)).Outcome);
    }

    [Fact]
    public async Task AnUnreachableTarget_IsRecordedFailed_AndLaterRequestsStillWork()
    {
        // The receiver listens first, so the port freed below can never be handed to it.
        await using var receiver = await Receiver.StartAsync();
        int closedPort;
        do
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        while (closedPort == receiver.Port);

        await using var mock = await MockApp.StartAsync(app =>
        {
            MapHook(app, "POST", "/down", _ => [Entry(0, $"http://127.0.0.1:{closedPort}/hooks/down", body: "{}")]);
            MapHook(app, "POST", "/up", _ => [Entry(0, $"http://127.0.0.1:{receiver.Port}/hooks/up", body: "{}")]);
        });

        Assert.Equal(HttpStatusCode.Accepted, (await mock.Client.PostAsync("/down", Json("{}"))).StatusCode);
        var failed = await mock.Journal.WaitForDeliveryAsync(r => r.Url.Contains("/hooks/down", StringComparison.Ordinal), Wait);
        Assert.Equal(WebhookOutcome.Failed, failed.Outcome);

        Assert.Equal(HttpStatusCode.Accepted, (await mock.Client.PostAsync("/up", Json("{}"))).StatusCode);
        Assert.Equal("/hooks/up", (await receiver.NextAsync()).RawTarget);
    }

    [Fact]
    public async Task TheJournal_IsServedAsJson_AtTheAdminPath()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var mock = await MockApp.StartAsync(app =>
        {
            app.MapMoclojerWebhookJournal();
            MapHook(app, "POST", "/orders", _ => [Entry(0, $"http://127.0.0.1:{receiver.Port}/fail", body: "{}")], name: "POST /orders");
        });

        await mock.Client.PostAsync("/orders", Json("{}"));
        await mock.Journal.WaitForDeliveryAsync(r => r.Outcome == WebhookOutcome.Sent, Wait);

        using var response = await mock.Client.GetAsync("/__moclojer/webhooks");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal(1000, root.GetProperty("capacity").GetInt32());
        Assert.Equal(1, root.GetProperty("statistics").GetProperty("sent").GetInt64());
        var record = Assert.Single(root.GetProperty("records").EnumerateArray().ToList());
        Assert.Equal("POST /orders", record.GetProperty("endpoint").GetString());
        Assert.Equal(0, record.GetProperty("index").GetInt32());
        Assert.Equal("sent", record.GetProperty("outcome").GetString());
        Assert.Equal(500, record.GetProperty("statusCode").GetInt32());
        Assert.Equal($"http://127.0.0.1:{receiver.Port}/fail", record.GetProperty("url").GetString());
        Assert.True(record.GetProperty("durationMs").GetDouble() >= 0);
        Assert.False(record.TryGetProperty("error", out _));
        Assert.True(record.TryGetProperty("dueAt", out _));
        Assert.True(record.TryGetProperty("sentAt", out _));
    }

    [Fact]
    public async Task TheJournalEndpoint_FollowsItsOptions()
    {
        await using (var custom = await MockApp.StartAsync(app => app.MapMoclojerWebhookJournal(), o => o.JournalPath = "/admin/hooks"))
        {
            Assert.Equal(HttpStatusCode.OK, (await custom.Client.GetAsync("/admin/hooks")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await custom.Client.GetAsync("/__moclojer/webhooks")).StatusCode);
        }

        await using var disabled = await MockApp.StartAsync(app => app.MapMoclojerWebhookJournal(),
            configuration: [new("Moclojer:Webhooks:JournalEnabled", "false")]);
        Assert.Equal(HttpStatusCode.NotFound, (await disabled.Client.GetAsync("/__moclojer/webhooks")).StatusCode);
    }

    [Fact]
    public async Task StoppingTheHost_AbandonsWebhooksDueAfterTheGracePeriod()
    {
        await using var receiver = await Receiver.StartAsync();
        var mock = await MockApp.StartAsync(
            app => MapHook(app, "POST", "/orders", _ => [Entry(0, $"http://127.0.0.1:{receiver.Port}/hooks/later", sleepSeconds: 60)]),
            o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(1));
        var journal = mock.Journal;
        await mock.Client.PostAsync("/orders", Json("{}"));
        Assert.Equal(1, mock.Dispatcher.PendingCount);

        await mock.DisposeAsync();
        var record = Assert.Single(journal.Snapshot());
        Assert.Equal(WebhookOutcome.Abandoned, record.Outcome);
        Assert.Empty(receiver.Requests);
    }
}
