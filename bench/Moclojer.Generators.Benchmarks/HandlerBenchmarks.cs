using System.Text;
using System.Text.Encodings.Web;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Moclojer.Runtime;

namespace Moclojer.Generators.Benchmarks;

/// <summary>
/// The generated handler of an endpoint against the same response written by hand (as in bench/load/Baseline),
/// invoked on a <see cref="DefaultHttpContext"/>. "Dispatch" rows go through <see cref="MockDispatcher"/> as a
/// request does in the service: path splitting, routing, the request object and the handler.
/// </summary>
[MemoryDiagnoser]
public class HandlerBenchmarks
{
    private static readonly byte[] StaticBody = """{"status": "ok", "service": "bench", "items": [1, 2, 3]}"""u8.ToArray();

    private MockHandler _staticHandler = null!;
    private MockHandler _templatedHandler = null!;
    private MockDispatcher _dispatcher = null!;
    private DefaultHttpContext _staticContext = null!;
    private DefaultHttpContext _templatedContext = null!;
    private MockRequest _staticRequest = null!;
    private MockRequest _templatedRequest = null!;

    [GlobalSetup]
    public void Setup()
    {
        _staticHandler = Fixtures.Route("GET /static").Handler;
        _templatedHandler = Fixtures.Route("GET /hello/").Handler;
        _dispatcher = Fixtures.Dispatcher();
        _staticContext = Fixtures.Get("/static");
        _templatedContext = Fixtures.Get("/hello/bob");
        _templatedContext.Request.RouteValues["name"] = "bob";
        _staticRequest = new MockRequest(_staticContext, [], TimeProvider.System);
        _templatedRequest = new MockRequest(_templatedContext, ["bob"], TimeProvider.System);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("static")]
    public Task StaticHandWritten()
    {
        var context = _staticContext;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = StaticBody.Length;
        return context.Response.Body.WriteAsync(StaticBody, 0, StaticBody.Length, context.RequestAborted);
    }

    [Benchmark]
    public Task StaticGenerated() => _staticHandler(_staticRequest);

    [Benchmark]
    public Task StaticDispatch() => _dispatcher.DispatchAsync(_staticContext);

    [Benchmark]
    public Task TemplatedHandWritten()
    {
        var context = _templatedContext;
        var name = (string)context.Request.RouteValues["name"]!;
        var body = Encoding.UTF8.GetBytes($$"""{"message": "Hello {{JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(name)}}", "service": "bench"}""");
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }

    [Benchmark]
    public Task TemplatedGenerated() => _templatedHandler(_templatedRequest);

    [Benchmark]
    public Task TemplatedDispatch() => _dispatcher.DispatchAsync(_templatedContext);
}
