// WireMock.Net serving the routes of bench/bench.mocks.yml. Usage: WireMockServer <port> [handlebars|scriban]
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;

var port = args.Length > 0 ? int.Parse(args[0]) : 9203;
var transformer = args.Length > 1 && args[1] == "scriban" ? TransformerType.Scriban : TransformerType.Handlebars;

var server = WireMockServer.Start(new WireMockServerSettings
{
    Urls = [$"http://127.0.0.1:{port}"],
    Logger = new WireMockNullLogger(),
    StartAdminInterface = false,
    MaxRequestLogCount = 0,
    ReadStaticMappings = false,
});

server.Given(Request.Create().WithPath("/static").UsingGet())
    .RespondWith(Response.Create()
        .WithStatusCode(200)
        .WithHeader("Content-Type", "application/json")
        .WithBody("""{"status": "ok", "service": "bench", "items": [1, 2, 3]}"""));

var template = transformer == TransformerType.Scriban
    ? """{"message": "Hello {{request.PathSegments[1]}}", "service": "bench"}"""
    : """{"message": "Hello {{request.PathSegments.[1]}}", "service": "bench"}""";
server.Given(Request.Create().WithPath(new WildcardMatcher("/hello/*")).UsingGet())
    .RespondWith(Response.Create()
        .WithStatusCode(200)
        .WithHeader("Content-Type", "application/json")
        .WithBody(template)
        .WithTransformer(transformer));

Console.WriteLine($"WireMock.Net listening on {string.Join(", ", server.Urls)} ({transformer})");
var done = new ManualResetEventSlim();
AppDomain.CurrentDomain.ProcessExit += (_, _) => { server.Stop(); done.Set(); };
Console.CancelKeyPress += (_, e) => { e.Cancel = true; done.Set(); };
done.Wait();
