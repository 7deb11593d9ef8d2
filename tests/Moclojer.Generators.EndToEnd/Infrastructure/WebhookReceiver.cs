using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Moclojer.Generators.EndToEnd.Infrastructure;

/// <summary>One request the receiver saw. Arrival is a Stopwatch timestamp, comparable with a step's t0.</summary>
public sealed record ReceivedCall(
    string Method,
    string RawTarget,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body,
    long ArrivalTimestamp)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name)
    {
        var values = Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }

    public double MsAfter(long t0) => Stopwatch.GetElapsedTime(t0, ArrivalTimestamp).TotalMilliseconds;

    public string Describe(long t0) =>
        $"{Method} {RawTarget} at t0+{MsAfter(t0):0} ms, body {(Body.Length == 0 ? "(empty)" : RawHttpClient.Shorten(BodyText))}";
}

/// <summary>
/// The webhook target of conformance README 1.1: a real Kestrel server on 127.0.0.1:9977 that records every
/// request (method, raw request target as on the request line, headers, body bytes, arrival time) and answers
/// /fail* with 500, /slow* after 3 s, anything else with 200 {}. One instance serves the whole run; the log is
/// drained per case and per step.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const int Port = 9977;

    private readonly object _gate = new();
    private readonly List<ReceivedCall> _calls = [];
    private WebApplication? _app;

    /// <summary>The port it listens on (Port for the corpus).</summary>
    public int BoundPort { get; private set; }

    /// <summary>Null when running; otherwise why it could not start (e.g. the port is taken).</summary>
    public string? StartError { get; private set; }

    /// <param name="port">9977 for the corpus (its mocks hard-code it); self-tests use a free port.</param>
    public static async Task<WebhookReceiver> StartAsync(int port = Port)
    {
        var receiver = new WebhookReceiver();
        try
        {
            await receiver.StartCoreAsync(port);
        }
        catch (Exception ex)
        {
            receiver.StartError = $"webhook receiver could not listen on 127.0.0.1:{port}: {ex.GetBaseException().Message}";
        }

        return receiver;
    }

    private async Task StartCoreAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(System.Net.IPAddress.Loopback, port);
            o.AddServerHeader = false;
            o.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        _app = app;
        BoundPort = port;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        // Taken first, before the body is read: the arrival time is when the request arrived.
        var arrival = Stopwatch.GetTimestamp();
        var raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Request.Path + ctx.Request.QueryString;
        using var body = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(body);
        var headers = ctx.Request.Headers
            .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? "")))
            .ToList();
        lock (_gate)
        {
            _calls.Add(new ReceivedCall(ctx.Request.Method, raw, headers, body.ToArray(), arrival));
        }

        ctx.Response.ContentType = "application/json";
        if (raw.StartsWith("/fail", StringComparison.Ordinal))
        {
            ctx.Response.StatusCode = 500;
            await ctx.Response.WriteAsync("{\"error\":\"receiver failure\"}");
            return;
        }

        if (raw.StartsWith("/slow", StringComparison.Ordinal))
        {
            try
            {
                await Task.Delay(3000, ctx.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the sender gave up (webhook timeout, W-17)
            }
        }

        ctx.Response.StatusCode = 200;
        await ctx.Response.WriteAsync("{}");
    }

    /// <summary>Returns the calls recorded so far, in arrival order, and forgets them.</summary>
    public IReadOnlyList<ReceivedCall> Drain()
    {
        lock (_gate)
        {
            var result = _calls.OrderBy(c => c.ArrivalTimestamp).ToList();
            _calls.Clear();
            return result;
        }
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
