using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Moclojer.Runtime;
using Moclojer.Runtime.Webhooks;

namespace Moclojer.Generators.Runtime.Tests.Hosting;

/// <summary>
/// A mock service built by hand the way the generator builds one: routes with handlers that call the runtime like
/// generated code does, and the two delegates a generated <c>MockServer</c> hands to <see cref="MockServerHost"/>.
/// </summary>
internal static class TestMock
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public const string CheckoutEndpoint = "POST /checkout/:orderId|int";

    private static readonly MockRateLimit Limited = new("GET /limited", 60_000, 1, null);
    private static readonly string[] TotalPath = ["total"];
    private static readonly string[] CurencyPath = ["curency"];

    public static Task<MockServerHost> StartAsync(Action<MockServerOptions>? configure = null) =>
        MockServerHost.StartAsync(AddService, MapService, configure);

    public static Task<MockServerHost> StartInMemoryAsync(Action<MockServerOptions>? configure = null) =>
        MockServerHost.StartInMemoryAsync(AddService, MapService, configure);

    /// <summary>The test mock, in memory or on Kestrel, with <paramref name="middleware"/> ahead of it.</summary>
    public static Task<MockServerHost> StartAsync(bool inMemory, Func<HttpContext, RequestDelegate, Task> middleware)
    {
        void Map(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app)
        {
            Microsoft.AspNetCore.Builder.UseExtensions.Use((Microsoft.AspNetCore.Builder.IApplicationBuilder)app, middleware);
            MapService(app);
        }
        return inMemory ? MockServerHost.StartInMemoryAsync(AddService, Map) : MockServerHost.StartAsync(AddService, Map);
    }

    /// <summary>What a generated <c>MockServer</c> passes as <c>services => services.AddMoclojer()</c>.</summary>
    public static void AddService(IServiceCollection services) => MoclojerHosting.AddMockService(services, Definition());

    /// <summary>What a generated <c>MockServer</c> passes as <c>app => app.MapMoclojer()</c>.</summary>
    public static void MapService(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app) => MoclojerHosting.MapMockService(app);

    public static MockServiceDefinition Definition() => new(
        [
            new("GET", null, ["orders", null], GetOrder, "GET /orders/:id in mocks.yml"),
            new("POST", null, ["checkout", null], Checkout, "POST /checkout/:orderId|int in mocks.yml"),
            new("POST", null, ["upload"], Upload, "POST /upload in mocks.yml"),
            new("POST", null, ["payments"], Payment, "POST /payments in receiver.yml"),
            new("GET", "api.shop.test", ["admin"], Static, "GET /admin in mocks.yml"),
            new("GET", null, ["limited"], RateLimited, "GET /limited in mocks.yml"),
        ],
        "{}"u8.ToArray(),
        ["mocks.yml"]);

    private static Task Static(MockRequest request) =>
        MockResponses.WriteStaticAsync(request, 200, MockResponses.JsonContentType, "{}"u8.ToArray());

    private static Task GetOrder(MockRequest request) =>
        MockResponses.WriteStaticAsync(request, 200, MockResponses.JsonContentType,
            Encoding.UTF8.GetBytes("{\"id\":\"" + request.PathValues[0] + "\"}"));

    /// <summary>Like a generated handler with two webhooks, the second guarded by <c>if</c>.</summary>
    private static async Task Checkout(MockRequest request)
    {
        var context = request.HttpContext;
        if (!int.TryParse(request.PathValues[0], out _))
        {
            await MockResponses.InvalidParameterAsync(request, "path", "orderId", "int", request.PathValues[0]);
            return;
        }
        await request.ReadJsonAsync();
        var dispatcher = context.RequestServices.GetRequiredService<WebhookDispatcher>();
        var sleep = double.Parse(request.Query("sleep") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var webhooks = new List<WebhookEntry>
        {
            new(0, "POST", WebhookUrlKind.Absolute, "http://receiver.test/payments?order=" + request.PathValues[0],
                [new("X-Signature", "sig-" + request.PathValues[0])],
                Encoding.UTF8.GetBytes("{\"order\":" + request.PathValues[0] + ",\"amount\":" + (MockJson.Text(request.Json, TotalPath) ?? "null") + "}"),
                TimeSpan.FromSeconds(sleep), TimeSpan.FromSeconds(10)),
        };
        var curency = MockJson.Text(request.Json, CurencyPath);
        if (!string.IsNullOrEmpty(curency))
        {
            webhooks.Add(new(1, "POST", WebhookUrlKind.Absolute, "http://receiver.test/alerts", WebhookEntry.NoHeaders, "{}"u8.ToArray(),
                TimeSpan.FromSeconds(sleep), TimeSpan.FromSeconds(10)));
        }
        else
        {
            dispatcher.RecordConditionFalse(context, CheckoutEndpoint, request.ReceivedAt, 1, "POST", "http://receiver.test/alerts",
                "(not= json-params.curency \"\")", ("json-params.curency", curency));
        }
        dispatcher.Dispatch(context, CheckoutEndpoint, request.ReceivedAt, webhooks);
        await MockResponses.WriteStaticAsync(request, 202, MockResponses.JsonContentType, "{\"status\":\"pending\"}"u8.ToArray());
    }

    /// <summary>Never reads its body.</summary>
    private static Task Upload(MockRequest request)
    {
        request.HttpContext.Response.StatusCode = 204;
        return Task.CompletedTask;
    }

    private static async Task Payment(MockRequest request)
    {
        await request.ReadJsonAsync();
        await MockResponses.WriteStaticAsync(request, 200, MockResponses.JsonContentType, "{\"received\":true}"u8.ToArray());
    }

    private static Task RateLimited(MockRequest request)
    {
        var context = request.HttpContext;
        var limiter = context.RequestServices.GetRequiredService<MockRateLimiter>();
        return limiter.TryAcquire(context, Limited) ? Static(request) : MockRateLimiter.RejectAsync(request);
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
