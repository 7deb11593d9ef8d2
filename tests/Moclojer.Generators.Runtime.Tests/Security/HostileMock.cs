using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Moclojer.Runtime;
using Moclojer.Runtime.Webhooks;

namespace Moclojer.Generators.Runtime.Tests.Security;

/// <summary>
/// A mock built by hand the way the generator builds one, with the places a hostile client can reach: a JSON body
/// echoed into the response, a request header echoed into a response header, a root parameter route beside the
/// built-in documents, a templated external body, a keyed rate limit, a callback url and a slow webhook carrying the
/// request body. Started on Kestrel at 127.0.0.1 or in memory.
/// </summary>
internal static class HostileMock
{
    /// <summary>The mock folder as the package's targets lay it out in the output (relative to the base directory).</summary>
    public const string DataFolder = "hostile-data";

    public const string CallbackEndpoint = "POST /callback";
    public const string SlowHookEndpoint = "POST /slow-hook";

    public static readonly MockRateLimit Limit = new("GET /limited", 60_000, 1000, "X-Key");

    public static readonly byte[] SwaggerJson = """{"swagger":"2.0"}"""u8.ToArray();
    public static readonly byte[] OpenApiJson = """{"openapi":"3.1.0"}"""u8.ToArray();

    private static readonly string[] NamePath = ["customer", "name"];
    private static readonly string[] CallbackPath = ["callback"];

    public static Task<MockServerHost> StartAsync(bool inMemory, Action<MockServerOptions>? configure = null) =>
        inMemory ? MockServerHost.StartInMemoryAsync(Add, Map, configure) : MockServerHost.StartAsync(Add, Map, configure);

    private static void Add(IServiceCollection services) => MoclojerHosting.AddMockService(services, Definition());

    private static void Map(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app) => MoclojerHosting.MapMockService(app);

    private static MockServiceDefinition Definition() => new(
        [
            new("POST", null, ["orders"], Orders, "POST /orders in mocks.yml"),
            new("GET", null, ["me"], Me, "GET /me in mocks.yml"),
            new("GET", null, [null], ById, "GET /:id|int in mocks.yml"),
            new("GET", null, ["files"], Files, "GET /files in mocks.yml"),
            new("GET", null, ["limited"], Limited, "GET /limited in mocks.yml"),
            new("POST", null, ["callback"], Callback, CallbackEndpoint + " in mocks.yml"),
            new("POST", null, ["slow-hook"], SlowHook, SlowHookEndpoint + " in mocks.yml"),
            new("POST", null, ["ok"], Ok, "POST /ok in mocks.yml"),
        ],
        SwaggerJson,
        ["mocks.yml"],
        OpenApiJson);

    /// <summary><c>body: {"name": "{{json-params.customer.name}}"}</c>.</summary>
    private static async Task Orders(MockRequest request)
    {
        await request.ReadJsonAsync();
        var name = MockJson.Text(request.Json, NamePath) ?? string.Empty;
        var json = System.Text.Json.JsonSerializer.Serialize(name, Moclojer.Generators.Runtime.Tests.Security.StringJson.Default.String);
        await MockResponses.WriteStaticAsync(request, 200, MockResponses.JsonContentType, Encoding.UTF8.GetBytes("{\"name\":" + json + "}"));
    }

    /// <summary><c>headers: {X-Request-Id: "{{header-params.X-Request-Id}}"}</c>.</summary>
    private static Task Me(MockRequest request)
    {
        Microsoft.AspNetCore.Http.HeaderDictionaryExtensions.Append(request.HttpContext.Response.Headers, "X-Request-Id", MockText.HeaderValue(request.Header("X-Request-Id")));
        return MockResponses.WriteStaticAsync(request, 200, MockResponses.JsonContentType, "{}"u8.ToArray());
    }

    private static Task ById(MockRequest request) =>
        int.TryParse(request.PathValues[0], out _)
            ? MockResponses.WriteStaticAsync(request, 200, MockResponses.JsonContentType, Encoding.UTF8.GetBytes("{\"id\":" + request.PathValues[0] + "}"))
            : MockResponses.InvalidParameterAsync(request, "path", "id", "int", request.PathValues[0]);

    /// <summary><c>external-body: {provider: json, path: "{{query-params.p}}"}</c>.</summary>
    private static Task Files(MockRequest request)
    {
        var ok = true;
        var path = MockExternalBody.PathValue(request.Query("p"), ref ok);
        return MockExternalBody.WriteAsync(request, 200, MockResponses.JsonContentType, ok ? path : null, DataFolder, [], []);
    }

    private static Task Limited(MockRequest request)
    {
        var context = request.HttpContext;
        var limiter = context.RequestServices.GetRequiredService<MockRateLimiter>();
        return limiter.TryAcquire(context, Limit)
            ? MockResponses.WriteStaticAsync(request, 200, MockResponses.JsonContentType, "{}"u8.ToArray())
            : MockRateLimiter.RejectAsync(request);
    }

    /// <summary><c>webhook: {url: {callback: json-params.callback}}</c>.</summary>
    private static async Task Callback(MockRequest request)
    {
        await request.ReadJsonAsync();
        var context = request.HttpContext;
        var url = MockJson.Text(request.Json, CallbackPath) ?? string.Empty;
        context.RequestServices.GetRequiredService<WebhookDispatcher>().Dispatch(context, CallbackEndpoint, request.ReceivedAt,
            [new WebhookEntry(0, "POST", WebhookUrlKind.Callback, url, WebhookEntry.NoHeaders, "{}"u8.ToArray(), TimeSpan.Zero, TimeSpan.FromSeconds(10))]);
        await MockResponses.WriteStaticAsync(request, 202, MockResponses.JsonContentType, "{}"u8.ToArray());
    }

    /// <summary><c>webhook: {url: http://127.0.0.1:9/, sleep-time: 20, body: "{{json-params}}"}</c>.</summary>
    private static async Task SlowHook(MockRequest request)
    {
        await request.ReadJsonAsync();
        var context = request.HttpContext;
        var body = Encoding.UTF8.GetBytes(MockJson.Text(request.Json) ?? string.Empty);
        context.RequestServices.GetRequiredService<WebhookDispatcher>().Dispatch(context, SlowHookEndpoint, request.ReceivedAt,
            [new WebhookEntry(0, "POST", WebhookUrlKind.Absolute, "http://127.0.0.1:9/", WebhookEntry.NoHeaders, body, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10))]);
        await MockResponses.WriteStaticAsync(request, 202, MockResponses.JsonContentType, "{}"u8.ToArray());
    }

    private static Task Ok(MockRequest request) =>
        MockResponses.WriteStaticAsync(request, 200, MockResponses.JsonContentType, "{\"ok\":true}"u8.ToArray());
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class StringJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>Sends raw bytes to a Kestrel mock and reads what comes back, for requests HttpClient cannot send.</summary>
internal static class RawHttp
{
    public sealed record Answer(int? Status, string Text);

    /// <param name="halfClose">Whether to signal the end of the request by closing the sending side. A server may take
    /// that for a client that went away and answer nothing, so tests of an answer to a broken body keep it open.</param>
    public static async Task<Answer> SendAsync(Uri baseAddress, byte[] request, bool halfClose = true)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", baseAddress.Port);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request);
            if (halfClose)
            {
                client.Client.Shutdown(SocketShutdown.Send);
            }
        }
        catch (IOException)
        {
            // The server may close before reading everything: what it answered is still read below.
        }
        var received = new MemoryStream();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
        }
        var text = Encoding.Latin1.GetString(received.ToArray());
        int? status = null;
        if (text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && text.Length >= 12 && int.TryParse(text.AsSpan(9, 3), out var code))
        {
            status = code;
        }
        return new Answer(status, text);
    }

    public static Task<Answer> SendAsync(Uri baseAddress, string request, bool halfClose = true) => SendAsync(baseAddress, Encoding.Latin1.GetBytes(request), halfClose);

    /// <summary>Text that only an exception puts in a response.</summary>
    public static void AssertNoExceptionText(string text)
    {
        foreach (var marker in new[] { "Exception", "   at ", "System.", "Microsoft.AspNetCore", "Cannot read", "stack" })
        {
            Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
        }
    }
}
