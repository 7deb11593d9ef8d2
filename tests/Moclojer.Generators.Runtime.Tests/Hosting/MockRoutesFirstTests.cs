using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moclojer.Runtime;

namespace Moclojer.Generators.Runtime.Tests.Hosting;

/// <summary>
/// The generated entry point answers mock routes ahead of ASP.NET Core's routing (<see cref="MoclojerHosting.UseMockRoutesFirst"/>):
/// over real HTTP on 127.0.0.1, the answers are those of the catch-all endpoint, and the built-in endpoints keep their paths.
/// </summary>
public class MockRoutesFirstTests
{
    /// <summary>Two segments of any value: it matches the journal's own path too.</summary>
    private static MockServiceDefinition Definition(MockRoute[]? routes) => new(
        routes ??
        [
            new("GET", null, [null, null], Echo, "GET /:a/:b in mocks.yml"),
            new("POST", null, ["orders"], Echo, "POST /orders in mocks.yml"),
        ],
        "{}"u8.ToArray(),
        ["mocks.yml"]);

    /// <summary>Says whether ASP.NET Core's routing ran before it: the catch-all endpoint is then set.</summary>
    private static Task Echo(MockRequest request) =>
        MockResponses.WriteStaticAsync(request.HttpContext, 200, "text/plain",
            System.Text.Encoding.UTF8.GetBytes(request.HttpContext.GetEndpoint() is null ? "first" : "routed"));

    /// <summary>A served mock and a client of it; disposing stops both.</summary>
    private sealed class Served(WebApplication app, HttpClient client) : IAsyncDisposable
    {
        public HttpClient Client { get; } = client;

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await app.DisposeAsync();
        }
    }

    private static async Task<Served> StartAsync(Action<WebApplication>? mapMore = null, MockRoute[]? routes = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        configure?.Invoke(builder);
        MoclojerHosting.ConfigureServer(builder);
        MoclojerHosting.AddMockService(builder.Services, Definition(routes));
        var app = builder.Build();
        // As the generated entry point does.
        MoclojerHosting.UseMockRoutesFirst(app);
        MoclojerHosting.MapMockService(app);
        mapMore?.Invoke(app);
        await app.StartAsync();
        return new Served(app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    [Fact]
    public async Task A_matched_request_is_answered_without_routing()
    {
        await using var served = await StartAsync();
        var client = served.Client;

        Assert.Equal("first", await client.GetStringAsync("/x/y"));
        using var post = await client.PostAsync("/orders", new StringContent("{}"));
        Assert.Equal("first", await post.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_journal_keeps_its_path_and_records_what_was_answered_first()
    {
        await using var served = await StartAsync();
        var client = served.Client;

        Assert.Equal("first", await client.GetStringAsync("/x/y"));
        foreach (var path in new[] { "/__moclojer/requests", "/__MOCLOJER/Requests/" })
        {
            using var journal = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, journal.StatusCode);
            var text = await journal.Content.ReadAsStringAsync();
            Assert.Contains("\"/x/y\"", text);
            Assert.Contains("GET /:a/:b", text);
        }
    }

    [Fact]
    public async Task Unmatched_requests_and_built_in_documents_get_the_same_answers_as_before()
    {
        await using var served = await StartAsync();
        var client = served.Client;

        using var missing = await client.GetAsync("/a/b/c");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var wrongMethod = await client.DeleteAsync("/orders");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("POST", string.Join(", ", wrongMethod.Content.Headers.Allow));
        Assert.Equal("""["->","moclojer","server"]""", await client.GetStringAsync("/"));
        Assert.Equal("{}", await client.GetStringAsync("/swagger.json"));
        using var health = await client.GetAsync("/__moclojer/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task With_an_endpoint_that_has_parameters_every_request_goes_through_routing()
    {
        await using var served = await StartAsync(app => app.MapGet("/users/{id}", (string id) => "user " + id));
        var client = served.Client;

        // The application's endpoint wins, as it does over the catch-all; other requests still reach the mocks.
        Assert.Equal("user 7", await client.GetStringAsync("/users/7"));
        Assert.Equal("routed", await client.GetStringAsync("/x/y"));
    }

    [Fact]
    public async Task A_built_in_path_a_mock_route_spells_in_another_case_is_still_left_to_routing()
    {
        // Routing compares paths in any case, so the health endpoint takes this path ahead of the mock route; paths
        // no mock route can match are not looked up at all.
        await using var served = await StartAsync(routes:
        [
            new("GET", null, ["__Moclojer", "Health"], Echo, "GET /__Moclojer/Health in mocks.yml"),
            new("GET", null, ["x", "y"], Echo, "GET /x/y in mocks.yml"),
        ]);
        var client = served.Client;

        Assert.Equal("""{"status":"ok"}""", await client.GetStringAsync("/__Moclojer/Health"));
        Assert.Equal("first", await client.GetStringAsync("/x/y"));
        using var journal = await client.GetAsync("/__moclojer/requests");
        Assert.Equal(HttpStatusCode.OK, journal.StatusCode);
    }

    [Fact]
    public async Task Only_a_request_that_may_be_a_WebSocket_handshake_is_left_to_the_WebSockets_middleware()
    {
        await using var served = await StartAsync();

        // The WebSockets middleware runs after routing: a request that may be upgraded goes there.
        Assert.Equal("routed", await SendRawAsync(served, "GET /x/y HTTP/1.1\r\nHost: mock\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"));
        // Kestrel calls this request upgradable, but without an Upgrade header it cannot be a handshake (RFC 6455 4.1).
        Assert.Equal("first", await SendRawAsync(served, "GET /x/y HTTP/1.1\r\nHost: mock\r\nConnection: Upgrade\r\n\r\n"));
        Assert.Equal("first", await SendRawAsync(served, "GET /x/y HTTP/1.1\r\nHost: mock\r\n\r\n"));
    }

    /// <summary>Sends <paramref name="head"/> as it is (HttpClient will not send an upgrade request) and returns the body.</summary>
    private static async Task<string> SendRawAsync(Served served, string head)
    {
        var address = served.Client.BaseAddress!;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        var received = new List<byte>();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var text = System.Text.Encoding.ASCII.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = int.Parse(System.Text.RegularExpressions.Regex.Match(text, "Content-Length: (\\d+)").Groups[1].Value);
                if (text.Length >= end + 4 + length)
                {
                    Assert.StartsWith("HTTP/1.1 200", text);
                    return text.Substring(end + 4, length);
                }
            }
            var read = await stream.ReadAsync(buffer, timeout.Token);
            Assert.NotEqual(0, read);
            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_matched_request_is_logged_at_Debug_only_when_Debug_is_on(bool debug)
    {
        var logs = new Moclojer.Generators.Runtime.Tests.Webhooks.TestLoggerProvider();
        await using var served = await StartAsync(configure: builder =>
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.AddFilter(typeof(MockDispatcher).FullName, debug ? LogLevel.Debug : LogLevel.Information);
        });

        Assert.Equal("first", await served.Client.GetStringAsync("/x/y"));
        var matched = logs.Entries.Where(e => e.Message.Contains(" matched ", StringComparison.Ordinal)).Select(e => e.Message).ToArray();
        Assert.Equal(debug ? ["GET /x/y matched GET /:a/:b in mocks.yml"] : [], matched);
    }
}
