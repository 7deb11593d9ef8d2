using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Moclojer.Generators.EndToEnd.Infrastructure;

namespace Moclojer.Generators.EndToEnd.Tests;

/// <summary>
/// The whole step machinery (requests, response checks, receiver, webhook windows and matching) against a small
/// hand-written service that sends webhooks, so the runner is known to work before the product sends any.
/// </summary>
public sealed class StepRunnerSelfTests
{
    [Fact]
    public async Task A_conforming_service_passes_every_step()
    {
        await using var receiver = await StartReceiver();
        await using var service = await FakeService.StartAsync(receiver.BoundPort);
        var definition = Case("""
            [
              {"name": "order", "request": {"method": "POST", "path": "/order/7", "query": {"src": "a b"}, "body": {"x": 1.50}},
               "expect": {"status": 201, "headers": {"x-id": "7", "Content-Type": {"$regex": "^application/json"}},
                          "headers_absent": ["X-Nope"], "json": {"id": 7, "got": {"x": 1.5}, "at": {"$any": true}},
                          "max_latency_ms": 2000},
               "webhooks": [
                 {"method": "POST", "url_path": "/hooks/7?src=a%20b", "json": {"id": 7},
                  "headers": {"Content-Type": {"$regex": "^application/json"}}, "headers_absent": ["X-Moclojer-Nope"],
                  "after_ms_min": 150, "after_ms_max": 3000},
                 {"method": "POST", "url_path": "/hooks/7?src=a%20b", "text": "second", "after_ms_min": 150, "after_ms_max": 3000}
               ]},
              {"request": {"path": "/quiet"}, "expect": {"status": 200, "text": ""}, "no_webhook": true, "observe_ms": 700},
              {"request": {"path": "/quiet"}, "repeat": 3, "expect": {"status": 200, "text": ""}}
            ]
            """);

        var log = new List<string>();
        var failures = await new StepRunner(service, receiver, log.Add).RunAsync(definition);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(3, log.Count(l => l.StartsWith("  ok", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Every_difference_is_reported_with_its_step()
    {
        await using var receiver = await StartReceiver();
        await using var service = await FakeService.StartAsync(receiver.BoundPort);
        var definition = Case("""
            [
              {"name": "wrong", "request": {"method": "POST", "path": "/order/7", "body": {}},
               "expect": {"status": 200, "headers": {"X-Id": "8"}, "headers_absent": ["X-Id"], "json": {"id": "7"}},
               "webhooks": [{"method": "POST", "url_path": "/hooks/7", "json": {"id": 7}, "after_ms_min": 0, "after_ms_max": 100}],
               "observe_ms": 3000},
              {"request": {"method": "POST", "path": "/order/9", "body": {}}, "expect": {"status": 201}, "no_webhook": true, "observe_ms": 3000},
              {"request": {"path": "/quiet"}, "expect": {"status": 200, "text": "x"}}
            ]
            """);

        var failures = await new StepRunner(service, receiver, _ => { }).RunAsync(definition);
        var text = string.Join("\n", failures);
        Assert.Equal(3, failures.Count);
        Assert.StartsWith("step 1 'wrong' (POST /order/7)", failures[0], StringComparison.Ordinal);
        Assert.Contains("status: expected 200, got 201", text, StringComparison.Ordinal);
        Assert.Contains("header X-Id: expected '8', got '7'", text, StringComparison.Ordinal);
        Assert.Contains("header X-Id: must be absent", text, StringComparison.Ordinal);
        Assert.Contains("body $.id: expected \"7\", got 7", text, StringComparison.Ordinal);
        // The first call pairs with the entry but comes too late; the second one is not expected at all.
        Assert.Contains("webhook #1 (POST /hooks/7): arrived at t0+", text, StringComparison.Ordinal);
        Assert.Contains("unexpected webhook call: POST /hooks/7 at", text, StringComparison.Ordinal);
        Assert.StartsWith("step 2 (POST /order/9)", failures[1], StringComparison.Ordinal);
        Assert.Contains("expected no webhook, got POST /hooks/9", failures[1], StringComparison.Ordinal);
        Assert.Contains("body: expected text \"x\", got \"\"", failures[2], StringComparison.Ordinal);
    }

    private static CaseDefinition Case(string stepsJson) =>
        CaseDefinition.Parse(Encoding.UTF8.GetBytes($$"""{"description": "self-test", "spec": [], "steps": {{stepsJson}} }"""));

    private static async Task<WebhookReceiver> StartReceiver()
    {
        var receiver = await WebhookReceiver.StartAsync(ServiceProcess.FreePort());
        Assert.True(receiver.StartError == null, receiver.StartError);
        return receiver;
    }

    /// <summary>
    /// POST /order/{id}: 201 {"id": id, "got": body, "at": ...} with X-Id, then two webhooks 200 ms later to
    /// /hooks/{id}?src=... (a JSON one, then a text one). GET /quiet: 200 with an empty body.
    /// </summary>
    private sealed class FakeService : IServiceUnderTest, IAsyncDisposable
    {
        private static readonly HttpClient Http = new();
        private WebApplication? _app;

        public int Port { get; private set; }

        public bool HasExited => false;

        public string Log => "";

        public static async Task<FakeService> StartAsync(int receiverPort)
        {
            var service = new FakeService { Port = ServiceProcess.FreePort() };
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, service.Port));
            var app = builder.Build();
            app.Run(async ctx =>
            {
                if (ctx.Request.Path.StartsWithSegments("/order"))
                {
                    var id = ctx.Request.Path.Value!.Split('/')[2];
                    using var body = await JsonDocument.ParseAsync(ctx.Request.Body);
                    var query = ctx.Request.QueryString.Value ?? "";
                    var src = query.Length > 0 ? "?src=" + Uri.EscapeDataString(ctx.Request.Query["src"].ToString()) : "";
                    ctx.Response.StatusCode = 201;
                    ctx.Response.Headers["X-Id"] = id;
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.WriteAsync($$"""{"id": {{id}}, "got": {{body.RootElement.GetRawText()}}, "at": null}""");
                    _ = SendWebhooksAsync(receiverPort, $"/hooks/{id}{src}", id);
                    return;
                }

                ctx.Response.StatusCode = 200;
            });
            await app.StartAsync();
            service._app = app;
            return service;
        }

        private static async Task SendWebhooksAsync(int port, string target, string id)
        {
            await Task.Delay(200);
            var url = $"http://127.0.0.1:{port}{target}";
            await Http.PostAsync(url, new StringContent($$"""{"id": {{id}}}""", Encoding.UTF8, "application/json"));
            await Http.PostAsync(url, new ByteArrayContent(Encoding.UTF8.GetBytes("second")));
        }

        public async ValueTask DisposeAsync()
        {
            if (_app != null)
            {
                await _app.StopAsync();
                await _app.DisposeAsync();
            }
        }
    }
}
