using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Moclojer.Runtime.Webhooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

/// <summary>Builds webhook entries the way generated code would.</summary>
internal static class Hooks
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public static WebhookEntry Entry(
        int index,
        string url,
        double sleepSeconds = 0,
        string method = "POST",
        WebhookUrlKind kind = WebhookUrlKind.Absolute,
        string? body = null,
        double timeoutSeconds = 10,
        params (string Name, string Value)[] headers) =>
        new(index, method, kind, url,
            headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToArray(),
            body is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(body),
            TimeSpan.FromSeconds(sleepSeconds),
            TimeSpan.FromSeconds(timeoutSeconds));

    public static WebhookTrigger Trigger(int depth = 0, int port = 5000, string? host = "mock.test") =>
        new("http", IPAddress.Loopback, port, host, depth);
}

/// <summary>A request as an in-process handler saw it.</summary>
internal sealed record CapturedRequest(
    string Method, Uri Uri, Dictionary<string, string> Headers, Dictionary<string, string> ContentHeaders, byte[]? Body, bool HasContent)
{
    public string? Header(string name) =>
        Headers.TryGetValue(name, out var value) ? value : ContentHeaders.TryGetValue(name, out value) ? value : null;
}

/// <summary>
/// The primary handler of the webhook client in unit tests: records requests and answers them. A path starting with
/// <c>/stall</c> waits until cancelled (or released), <c>/fail</c> answers 500 and <c>/down</c> throws a connection error.
/// </summary>
internal sealed class StubHandler : HttpMessageHandler
{
    private readonly Channel<CapturedRequest> _arrivals = Channel.CreateUnbounded<CapturedRequest>();
    private readonly ConcurrentQueue<CapturedRequest> _all = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _releases = new();

    public IReadOnlyList<CapturedRequest> Requests => _all.ToArray();

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _cancellations = new();

    /// <summary>Completes when a stalled request to <paramref name="path"/> has been cancelled by the dispatcher.</summary>
    public Task WhenCancelledAsync(string path) => Cancellation(path).Task.WaitAsync(Hooks.Wait);

    public bool WasCancelled(string path) => Cancellation(path).Task.IsCompleted;

    /// <summary>Lets a stalled request to <paramref name="path"/> answer 200.</summary>
    public void Release(string path) => Gate(path).TrySetResult();

    public async Task<CapturedRequest> NextAsync()
    {
        using var cts = new CancellationTokenSource(Hooks.Wait);
        return await _arrivals.Reader.ReadAsync(cts.Token);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var captured = new CapturedRequest(
            request.Method.Method,
            request.RequestUri!,
            request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase),
            request.Content?.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase)
                ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
            body,
            request.Content is not null);
        _all.Enqueue(captured);
        _arrivals.Writer.TryWrite(captured);

        var path = request.RequestUri!.AbsolutePath;
        if (path.StartsWith("/stall", StringComparison.Ordinal))
        {
            try
            {
                await Gate(path).Task.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Cancellation(path).TrySetResult();
                throw;
            }
        }

        if (path.StartsWith("/down", StringComparison.Ordinal))
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (stub)");
        }

        var status = path.StartsWith("/fail", StringComparison.Ordinal) ? HttpStatusCode.InternalServerError : HttpStatusCode.OK;
        return new HttpResponseMessage(status) { Content = new StringContent("{}") };
    }

    private TaskCompletionSource Cancellation(string path) =>
        _cancellations.GetOrAdd(path, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private TaskCompletionSource Gate(string path) =>
        _releases.GetOrAdd(path, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}

internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message);

internal sealed class TestLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => _entries.ToArray();

    public IReadOnlyList<LogEntry> Named(string eventName) => Entries.Where(e => e.EventId.Name == eventName).ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception)));
    }
}

/// <summary>A dispatcher on a fake clock with an in-process handler, built through the public DI registration.</summary>
internal sealed class Harness : IAsyncDisposable
{
    private Harness(ServiceProvider services, FakeTimeProvider time, StubHandler handler, TestLoggerProvider? logs)
    {
        Services = services;
        Time = time;
        Handler = handler;
        Logs = logs ?? new TestLoggerProvider();
        Dispatcher = services.GetRequiredService<WebhookDispatcher>();
        Journal = services.GetRequiredService<IWebhookJournal>();
    }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public StubHandler Handler { get; }

    public TestLoggerProvider Logs { get; }

    public WebhookDispatcher Dispatcher { get; }

    public IWebhookJournal Journal { get; }

    public static Harness Create(
        Action<MoclojerWebhookOptions>? configure = null,
        bool captureLogs = true,
        Action<IServiceCollection>? more = null,
        Func<FakeTimeProvider, TimeProvider>? wrapTime = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var handler = new StubHandler();
        var logs = captureLogs ? new TestLoggerProvider() : null;
        var services = new ServiceCollection();
        services.AddLogging(builder =>
        {
            if (logs is not null)
            {
                builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
            }
        });
        services.AddSingleton<TimeProvider>(wrapTime?.Invoke(time) ?? time);
        services.AddMoclojerWebhooks(configure);
        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => handler)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        more?.Invoke(services);
        return new Harness(services.BuildServiceProvider(), time, handler, logs);
    }

    public void Dispatch(params WebhookEntry[] entries) => Dispatch(Hooks.Trigger(), entries);

    public void Dispatch(WebhookTrigger trigger, params WebhookEntry[] entries) =>
        Dispatcher.Dispatch(trigger, "POST /orders", Time.GetUtcNow(), entries);

    public Task<WebhookRecord> WaitAsync(Func<WebhookRecord, bool> predicate) => Journal.WaitForDeliveryAsync(predicate, Hooks.Wait);

    public Task<WebhookRecord> WaitForUrlAsync(string pathAndQuery) =>
        WaitAsync(r => r.Url.EndsWith(pathAndQuery, StringComparison.Ordinal));

    /// <summary>
    /// Waits until <paramref name="waiting"/> webhooks wait for their time. After <c>Time.Advance</c> a due timer may run
    /// on another thread: <see cref="FakeTimeProvider"/> lets a thread that is already waking timers (one arming a
    /// send's timeout, say) run the timers the advance made due, and returns at once.
    /// </summary>
    public async Task WaitingAsync(int waiting)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Dispatcher.GetStatistics().Waiting != waiting && clock.Elapsed < Hooks.Wait)
        {
            await Task.Delay(2);
        }
        Assert.Equal(waiting, Dispatcher.GetStatistics().Waiting);
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}

/// <summary>A request as a real Kestrel receiver saw it on the wire.</summary>
internal sealed record ReceivedRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, byte[] Body, DateTimeOffset At)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A real HTTP receiver on 127.0.0.1 and a free port, as the conformance runner has: it records method, raw target,
/// headers and body. Paths under <c>/fail</c> answer 500, under <c>/stall</c> wait until released or aborted,
/// anything else answers 200 <c>{}</c>.
/// </summary>
internal sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedRequest> _arrivals = Channel.CreateUnbounded<ReceivedRequest>();
    private readonly ConcurrentQueue<ReceivedRequest> _all = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Receiver(WebApplication app) => _app = app;

    public Uri BaseUri { get; private set; } = null!;

    public int Port => BaseUri.Port;

    public IReadOnlyList<ReceivedRequest> Requests => _all.ToArray();

    public void ReleaseStalled() => _release.TrySetResult();

    public async Task<ReceivedRequest> NextAsync()
    {
        using var cts = new CancellationTokenSource(Hooks.Wait);
        return await _arrivals.Reader.ReadAsync(cts.Token);
    }

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver.BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var received = new ReceivedRequest(context.Request.Method, rawTarget, headers, buffer.ToArray(), DateTimeOffset.UtcNow);
        _all.Enqueue(received);
        _arrivals.Writer.TryWrite(received);

        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/stall", StringComparison.Ordinal))
        {
            try
            {
                await _release.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = path.StartsWith("/fail", StringComparison.Ordinal) ? 500 : 200;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(context.Response.StatusCode == 500 ? "{\"error\":\"receiver failure\"}" : "{}");
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseStalled();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>A real mock service on Kestrel whose endpoints dispatch webhooks like generated handlers would.</summary>
internal sealed class MockApp : IAsyncDisposable
{
    private MockApp(WebApplication app, Uri baseUri)
    {
        App = app;
        BaseUri = baseUri;
        Client = new HttpClient { BaseAddress = baseUri };
    }

    public WebApplication App { get; }

    public Uri BaseUri { get; }

    public HttpClient Client { get; }

    public IWebhookJournal Journal => App.Services.GetRequiredService<IWebhookJournal>();

    public WebhookDispatcher Dispatcher => App.Services.GetRequiredService<WebhookDispatcher>();

    public static async Task<MockApp> StartAsync(Action<WebApplication> map, Action<MoclojerWebhookOptions>? configure = null,
        IEnumerable<KeyValuePair<string, string?>>? configuration = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Services.AddMoclojerWebhooks(configure);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new MockApp(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
