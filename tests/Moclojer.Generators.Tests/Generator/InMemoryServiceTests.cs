using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moclojer.Generators.Tests.Infrastructure;
using Moclojer.Runtime;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>
/// The generated service, compiled and loaded in memory, serving requests on a DefaultHttpContext with a fake
/// clock: the same code a consumer project gets, without a process or a socket.
/// </summary>
public class InMemoryServiceTests
{
    private const string Mocks = """
        - endpoint:
            path: /users/:id|int
            response:
              headers:
                X-User: "u-{{path-params.id}}"
              body: '{"id": {{path-params.id}}, "at": "{{now}}"}'
        - endpoint:
            method: POST
            path: /echo
            response:
              status: 201
              body: '{"name": "{{json-params.name}}", "raw": {{json-params.tags}}}'
        - endpoint:
            path: /slow
            response:
              delay: 2.5
              body: done
        """;

    private static readonly Lazy<MockServiceDefinition> Definition = new(() =>
    {
        var run = GeneratorHarness.Run(Mocks);
        Assert.Empty(run.Errors);
        var assembly = GeneratorHarness.Load(run);
        var service = assembly.GetType("Moclojer.Generated.MoclojerService", throwOnError: true)!;
        return (MockServiceDefinition)service.GetMethod("CreateDefinition", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!.Invoke(null, null)!;
    });

    private static (MockDispatcher Dispatcher, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 30, 45, 123, TimeSpan.Zero));
        return (new MockDispatcher(Definition.Value, time, NullLogger<MockDispatcher>.Instance), time);
    }

    private static DefaultHttpContext Request(string method, string target, string? body = null)
    {
        var context = new DefaultHttpContext();
        var feature = context.Features.Get<IHttpRequestFeature>()!;
        feature.RawTarget = target;
        context.Request.Method = method;
        var query = target.IndexOf('?');
        context.Request.Path = query < 0 ? target : target[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(target[query..]);
        context.Request.Host = new HostString("127.0.0.1", 8000);
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
        }
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    [Fact]
    public async Task Typed_path_values_are_canonical_and_now_is_the_receive_time()
    {
        var (dispatcher, _) = Create();
        var context = Request("GET", "/users/007");

        await dispatcher.DispatchAsync(context);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("u-7", context.Response.Headers["X-User"].ToString());
        Assert.Equal("{\"id\":7,\"at\":\"2026-11-27T12:30:45.123Z\"}", Body(context));
        Assert.Equal("application/json", context.Response.ContentType);
    }

    [Fact]
    public async Task Request_data_cannot_break_out_of_a_json_string()
    {
        var (dispatcher, _) = Create();
        var context = Request("POST", "/echo", """{"name": "a\"}, \"evil\": {\"x", "tags": ["t", 1.50]}""");

        await dispatcher.DispatchAsync(context);

        Assert.Equal(201, context.Response.StatusCode);
        Assert.Equal("{\"name\":\"a\\\"}, \\\"evil\\\": {\\\"x\",\"raw\":[\"t\",1.50]}", Body(context));
    }

    [Fact]
    public async Task Wrong_types_unknown_paths_and_methods_get_4xx()
    {
        var (dispatcher, _) = Create();
        var wrongType = Request("GET", "/users/abc");
        var unknown = Request("GET", "/nope");
        var method = Request("DELETE", "/users/1");

        await dispatcher.DispatchAsync(wrongType);
        await dispatcher.DispatchAsync(unknown);
        await dispatcher.DispatchAsync(method);

        Assert.Equal(400, wrongType.Response.StatusCode);
        Assert.Equal("{\"error\":\"invalid-parameter\",\"in\":\"path\",\"name\":\"id\",\"expected\":\"int\",\"value\":\"abc\"}", Body(wrongType));
        Assert.Equal(404, unknown.Response.StatusCode);
        Assert.Equal(405, method.Response.StatusCode);
        Assert.Equal("GET, HEAD", method.Response.Headers.Allow.ToString());
    }

    [Fact]
    public async Task Delay_waits_on_the_time_provider_not_the_wall_clock()
    {
        var (dispatcher, time) = Create();
        var context = Request("GET", "/slow");

        var pending = dispatcher.DispatchAsync(context);
        time.Advance(TimeSpan.FromSeconds(2.4));
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.1));
        await pending.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal("done", Body(context));
    }
}
