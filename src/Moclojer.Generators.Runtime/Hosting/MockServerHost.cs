using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Moclojer.Runtime.Webhooks;

namespace Moclojer.Runtime;

/// <summary>
/// A compiled mock started inside a test process: on Kestrel at 127.0.0.1 (<see cref="StartAsync"/>) or in memory
/// on ASP.NET Core's TestServer (<see cref="StartInMemoryAsync"/>). The generated <c>MockServer</c> of a mock project
/// wraps it, passing the project's <c>AddMoclojer</c> and <c>MapMoclojer</c>. It holds no static state: each mock has
/// its own host, services, journals and clock, so several can run side by side.
/// </summary>
public sealed class MockServerHost : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly TestServer? _testServer;
    private int _disposed;

    private MockServerHost(WebApplication app, TestServer? testServer, Uri baseAddress)
    {
        _app = app;
        _testServer = testServer;
        BaseAddress = baseAddress;
        Requests = app.Services.GetRequiredService<IRequestJournal>();
        Webhooks = app.Services.GetRequiredService<IWebhookJournal>();
    }

    /// <summary>Where the mock answers: <c>http://127.0.0.1:PORT/</c>, or <c>http://localhost/</c> in memory.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Whether the mock runs on TestServer (no port).</summary>
    public bool IsInMemory => _testServer is not null;

    /// <summary>The mock's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The requests the mock received.</summary>
    public IRequestJournal Requests { get; }

    /// <summary>The outcomes of the mock's webhooks.</summary>
    public IWebhookJournal Webhooks { get; }

    /// <summary>
    /// Starts the mock on Kestrel, listening on 127.0.0.1 at <see cref="MockServerOptions.Port"/> or a free port.
    /// </summary>
    /// <param name="addService">Registers the mock service: the generated <c>services => services.AddMoclojer()</c>.</param>
    /// <param name="mapService">Maps it: the generated <c>app => app.MapMoclojer()</c>.</param>
    /// <param name="configure">Options of this start.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<MockServerHost> StartAsync(
        Action<IServiceCollection> addService, Action<IEndpointRouteBuilder> mapService,
        Action<MockServerOptions>? configure = null, CancellationToken cancellationToken = default) =>
        StartCoreAsync(addService, mapService, configure, inMemory: false, cancellationToken);

    /// <summary>
    /// Starts the mock in memory on ASP.NET Core's TestServer: no port, no socket. Reach it with
    /// <see cref="CreateClient"/> or plug <see cref="CreateHandler"/> into the system under test's HttpClient.
    /// </summary>
    public static Task<MockServerHost> StartInMemoryAsync(
        Action<IServiceCollection> addService, Action<IEndpointRouteBuilder> mapService,
        Action<MockServerOptions>? configure = null, CancellationToken cancellationToken = default) =>
        StartCoreAsync(addService, mapService, configure, inMemory: true, cancellationToken);

    /// <summary>A new client whose <see cref="HttpClient.BaseAddress"/> is <see cref="BaseAddress"/>. Dispose it when done.</summary>
    public HttpClient CreateClient()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_testServer is not null)
        {
            return _testServer.CreateClient();
        }
        return new HttpClient(CreateHandler(), disposeHandler: true) { BaseAddress = BaseAddress };
    }

    /// <summary>
    /// A handler that reaches the mock: TestServer's in-memory handler, or a new socket handler. Requests need absolute
    /// URIs under <see cref="BaseAddress"/> (or an HttpClient with that base address).
    /// </summary>
    public HttpMessageHandler CreateHandler()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _testServer is not null
            ? _testServer.CreateHandler()
            : new SocketsHttpHandler { UseCookies = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// Back to the starting state between tests: pending webhooks are cancelled (not sent, not journaled), the request
    /// and webhook journals are cleared and every rate-limit counter is forgotten.
    /// </summary>
    public void Reset() => _app.Services.GetRequiredService<IMockReset>().Reset();

    /// <summary>Stops the mock. Pending webhooks are abandoned (journaled so) unless the webhook grace period says otherwise.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            using var stop = new CancellationTokenSource(StopTimeout);
            await _app.StopAsync(stop.Token).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<MockServerHost> StartCoreAsync(
        Action<IServiceCollection> addService, Action<IEndpointRouteBuilder> mapService,
        Action<MockServerOptions>? configure, bool inMemory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(addService);
        ArgumentNullException.ThrowIfNull(mapService);
        var options = new MockServerOptions();
        configure?.Invoke(options);

        // The empty builder: no appsettings, environment variables or command line of the test process, no default
        // logging providers, only what a mock needs. Starting one is cheap.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        if (options.Configuration.Count > 0)
        {
            builder.Configuration.AddInMemoryCollection(options.Configuration);
        }
        if (inMemory)
        {
            builder.WebHost.UseTestServer();
        }
        else
        {
            var port = options.Port ?? 0;
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        }

        if (options.Logging is not null)
        {
            options.Logging(builder.Logging);
        }
        else
        {
            // Warnings and errors, one line each, written as they happen: no logging thread to start and stop per mock.
            builder.Logging.SetMinimumLevel(LogLevel.Warning).AddProvider(new MockServerConsoleLoggerProvider());
        }

        var services = builder.Services;
        services.AddRoutingCore();
        services.Configure<HostOptions>(static host => host.ShutdownTimeout = StopTimeout);
        if (options.TimeProvider is not null)
        {
            // Registered before the service, whose own registration only adds the system clock when none is.
            services.AddSingleton(options.TimeProvider);
        }
        addService(services);
        services.AddMoclojerWebhooks(static webhooks => webhooks.ShutdownGracePeriod = TimeSpan.Zero);
        if (options.Webhooks is not null)
        {
            services.AddMoclojerWebhooks(options.Webhooks);
        }
        if (options.Requests is not null)
        {
            services.Configure(options.Requests);
        }
        if (options.WebhookHandler is { } webhookHandler)
        {
            services.AddHttpClient(WebhookDispatcher.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new BorrowedHandler(webhookHandler))
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        }
        options.ConfigureServices?.Invoke(services);

        var app = builder.Build();
        try
        {
            mapService(app);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            if (inMemory)
            {
                var server = app.GetTestServer();
                return new MockServerHost(app, server, server.BaseAddress);
            }
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Kestrel started without an address.");
            return new MockServerHost(app, null, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends through a handler the caller owns, without ever disposing it.</summary>
    private sealed class BorrowedHandler(HttpMessageHandler inner) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _invoker = new(inner, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _invoker.SendAsync(request, cancellationToken);
    }
}
