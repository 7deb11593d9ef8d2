using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moclojer.Benchmarks;
using Moclojer.Runtime;

namespace Moclojer.Routing.Benchmarks;

/// <summary>
/// Routing at scale: the service compiled from a mock file of N endpoints <c>GET /api/v1/res{i}/items/:id|int</c>
/// (templated body, written by bench/routing/run.sh) against ASP.NET Core endpoint routing with the same N routes
/// (<c>MapGet("/api/v1/res{i}/items/{id:long}")</c>, a hand-written RequestDelegate writing the same bytes), for a
/// request to the first, the middle and the last declared route. Everything runs on one reused
/// <see cref="DefaultHttpContext"/> whose response acts as a server's (<see cref="ServerLikeResponse"/>: <c>OnStarting</c>
/// callbacks run when the body starts, so the request journal records every request) and whose body goes to
/// <see cref="Stream.Null"/>; no server, no sockets.
/// <list type="bullet">
/// <item><c>Generated</c> / <c>AspNetCore</c>: the whole request (routing, parameter, handler writing the body).
/// <c>Generated</c> is the service as a project hosts it (<c>AddMoclojer</c>, <c>MapMoclojer</c> on a WebApplication):
/// ASP.NET Core routing to the mock catch-all endpoint (a handful of endpoints whatever N), then the compiled router.
/// <c>GeneratedJournalOff</c> is the same with the request journal off (<c>Moclojer:Requests:Capacity=0</c>).
/// <c>GeneratedDispatcherOnly</c> calls the mock dispatcher directly (what the catch-all endpoint runs).</item>
/// <item><c>GeneratedMatchOnly</c>: the compiled router's <c>Match</c> alone (what must allocate 0 bytes);
/// <c>AspNetCoreMatchOnly</c>: <c>UseRouting()</c> then a terminal no-op (matching, constraint, route values).</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class RoutingScaleBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // In-process (no project generated per run: the 10,000-route assembly is slow to build) and short
            // iterations: this machine is shared, so few well-paired measurements beat long noisy ones.
            AddJob(Job.Default
                .WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(7)
                .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150)));
        }
    }

    [Params("first", "middle", "last")]
    public string Route { get; set; } = "last";

    private MockDispatcher _dispatcher = null!;
    private RequestDelegate _generated = null!;
    private DefaultHttpContext _dispatcherContext = null!;
    private WebApplication? _mockApp;
    private WebApplication? _mockAppNoJournal;
    private RequestDelegate _generatedNoJournal = null!;
    private DefaultHttpContext _noJournalContext = null!;
    private MockRouter _router = null!;
    private RequestDelegate _aspNet = null!;
    private RequestDelegate _aspNetMatchOnly = null!;
    private DefaultHttpContext _generatedContext = null!;
    private DefaultHttpContext _aspNetContext = null!;
    private ServerLikeResponse _generatedResponse = null!;
    private ServerLikeResponse _noJournalResponse = null!;
    private ServerLikeResponse _dispatcherResponse = null!;
    private ServerLikeResponse _aspNetResponse = null!;
    private string _path = "";
    private Range[] _ranges = [];
    private WebApplication? _app;
    private WebApplication? _matchApp;

    public static int Endpoints => Moclojer.Generated.MoclojerService.CreateDefinition().Router.Routes.Count;

    [GlobalSetup]
    public void Setup()
    {
        var definition = Moclojer.Generated.MoclojerService.CreateDefinition();
        var count = definition.Router.Routes.Count;
        var index = Route switch { "first" => 0, "middle" => count / 2, _ => count - 1 };
        _path = $"/api/v1/res{index}/items/42";
        _router = definition.Router;
        _dispatcher = new MockDispatcher(definition, TimeProvider.System, NullLogger<MockDispatcher>.Instance);
        _ranges = PathRanges.Of(_path);

        (_app, _aspNet) = AspNetCore(count, matchOnly: false);
        (_matchApp, _aspNetMatchOnly) = AspNetCore(count, matchOnly: true);
        (_mockApp, _generated) = MockService(journal: true);
        (_mockAppNoJournal, _generatedNoJournal) = MockService(journal: false);
        (_generatedContext, _generatedResponse) = Context(_path, _mockApp.Services, Stream.Null);
        (_noJournalContext, _noJournalResponse) = Context(_path, _mockAppNoJournal.Services, Stream.Null);
        (_dispatcherContext, _dispatcherResponse) = Context(_path, null, Stream.Null);
        (_aspNetContext, _aspNetResponse) = Context(_path, _app.Services, Stream.Null);

        // Every side must answer the same bytes, or the comparison means nothing.
        var aspNet = Body(_aspNet, _path, _app.Services);
        foreach (var (name, body) in new[]
        {
            ("generated", Body(_generated, _path, _mockApp.Services)),
            ("generated, journal off", Body(_generatedNoJournal, _path, _mockAppNoJournal.Services)),
            ("dispatcher", Body(_dispatcher.DispatchAsync, _path, null)),
        })
        {
            if (body != aspNet)
            {
                throw new InvalidOperationException($"bodies differ: {name} {body} / ASP.NET Core {aspNet}");
            }
        }
        // The journal-on side must record what it serves, or its row leaves the record out.
        var journal = _mockApp.Services.GetRequiredService<IRequestJournal>();
        var recorded = journal.All.Count;
        Reset(_generatedContext, _generatedResponse);
        _generated(_generatedContext).GetAwaiter().GetResult();
        if (journal.All.Count != recorded + 1 || journal.All[^1].StatusCode != 200)
        {
            throw new InvalidOperationException($"the journal did not record the request ({recorded} -> {journal.All.Count})");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        (_app as IDisposable)?.Dispose();
        (_matchApp as IDisposable)?.Dispose();
        (_mockApp as IDisposable)?.Dispose();
        (_mockAppNoJournal as IDisposable)?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task AspNetCore()
    {
        Reset(_aspNetContext, _aspNetResponse);
        return _aspNet(_aspNetContext);
    }

    [Benchmark]
    public Task Generated()
    {
        Reset(_generatedContext, _generatedResponse);
        return _generated(_generatedContext);
    }

    [Benchmark]
    public Task GeneratedJournalOff()
    {
        Reset(_noJournalContext, _noJournalResponse);
        return _generatedNoJournal(_noJournalContext);
    }

    [Benchmark]
    public Task GeneratedDispatcherOnly()
    {
        Reset(_dispatcherContext, _dispatcherResponse);
        return _dispatcher.DispatchAsync(_dispatcherContext);
    }

    [Benchmark]
    public Task AspNetCoreMatchOnly()
    {
        Reset(_aspNetContext, _aspNetResponse);
        return _aspNetMatchOnly(_aspNetContext);
    }

    [Benchmark]
    public MockRoute? GeneratedMatchOnly() => _router.Match("GET", "", _path, _ranges).Route;

    /// <summary>The generated service as the generated entry point hosts it (there on CreateBuilder, with its logging defaults).</summary>
    private static (WebApplication App, RequestDelegate Pipeline) MockService(bool journal)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (!journal)
        {
            builder.Configuration["Moclojer:Requests:Capacity"] = "0";
        }
        builder.Services.AddMoclojer();
        var app = builder.Build();
        MoclojerHosting.UseMockRoutesFirst(app); // as the generated entry point (UseRouting comes with it)
        app.MapMoclojer();
        app.UseEndpoints(_ => { });
        return (app, ((IApplicationBuilder)app).Build());
    }

    /// <summary>The same routes as the mock file, each a hand-written RequestDelegate (as bench/load/Baseline).</summary>
    private static (WebApplication App, RequestDelegate Pipeline) AspNetCore(int count, bool matchOnly)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseRouting();
        MapRoutes(app, count);
        if (matchOnly)
        {
            app.Run(_ => Task.CompletedTask);
        }
        else
        {
            app.UseEndpoints(_ => { });
        }
        return (app, ((IApplicationBuilder)app).Build());
    }

    /// <summary>Maps <c>GET /api/v1/res{i}/items/{id:long}</c> for i below <paramref name="count"/>, each writing the mock's bytes.</summary>
    internal static void MapRoutes(IEndpointRouteBuilder app, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var prefix = Encoding.UTF8.GetBytes($$"""{"resource":{{i}},"id":""");
            app.MapGet($"/api/v1/res{i}/items/{{id:long}}", context =>
            {
                // {id:long} accepted the text; the body carries its canonical form, as the mock's int parameter does.
                var id = long.Parse((string)context.Request.RouteValues["id"]!, System.Globalization.CultureInfo.InvariantCulture);
                Span<byte> digits = stackalloc byte[20];
                id.TryFormat(digits, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
                var response = context.Response;
                response.ContentType = "application/json";
                response.ContentLength = prefix.Length + written + 1;
                var body = new byte[prefix.Length + written + 1];
                prefix.CopyTo(body, 0);
                digits[..written].CopyTo(body.AsSpan(prefix.Length));
                body[^1] = (byte)'}';
                return response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
            });
        }
    }

    private static (DefaultHttpContext Context, ServerLikeResponse Response) Context(string target, IServiceProvider? services, Stream body)
    {
        var context = new DefaultHttpContext();
        var response = ServerLikeResponse.Install(context, body);
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = target;
        context.Request.Host = new HostString("127.0.0.1:8000");
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        if (services is not null)
        {
            context.RequestServices = services;
        }
        return (context, response);
    }

    /// <summary>
    /// Forgets the previous request's endpoint (endpoint routing skips matching when one is already set) and response
    /// (status, headers, started), as a server does between two requests of a connection.
    /// </summary>
    private static void Reset(DefaultHttpContext context, ServerLikeResponse response)
    {
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        response.Reset();
    }

    private static string Body(RequestDelegate pipeline, string target, IServiceProvider? services)
    {
        var body = new MemoryStream();
        var (context, _) = Context(target, services, body);
        pipeline(context).GetAwaiter().GetResult();
        return $"{context.Response.StatusCode} {context.Response.ContentType} {Encoding.UTF8.GetString(body.ToArray())}";
    }
}
