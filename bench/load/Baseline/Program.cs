// The hand-written baseline for the load benchmarks: the same routes and bytes as bench/bench.mocks.yml,
// written the way one would by hand (CreateSlimBuilder, logging off, RequestDelegates writing UTF-8).
using System.Text;
using System.Text.Encodings.Web;

// BASELINE_BUILDER=full uses WebApplication.CreateBuilder (as the generated entry point does), to tell the
// cost of the builder apart from the cost of the mock runtime in start-up measurements.
var builder = Environment.GetEnvironmentVariable("BASELINE_BUILDER") == "full"
    ? WebApplication.CreateBuilder(args)
    : WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddHttpClient();
var app = builder.Build();

var staticBody = """{"status": "ok", "service": "bench", "items": [1, 2, 3]}"""u8.ToArray();

app.MapGet("/static", context =>
{
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = staticBody.Length;
    return context.Response.Body.WriteAsync(staticBody, 0, staticBody.Length, context.RequestAborted);
});

app.MapGet("/hello/{name}", context =>
{
    var name = (string)context.Request.RouteValues["name"]!;
    var body = Encoding.UTF8.GetBytes($$"""{"message": "Hello {{JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(name)}}", "service": "bench"}""");
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = body.Length;
    return context.Response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
});

// Webhooks by hand: answer at once, then Task.Delay and post to the receiver.
app.MapPost("/webhook/{id:long}", (long id, HttpContext context, IHttpClientFactory clients) =>
{
    var sent = context.Request.Headers["X-Sent"].ToString();
    _ = Task.Run(async () =>
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:9300/receive?id={id}")
        {
            Content = new StringContent($$"""{"id": {{id}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Sent", sent);
        try
        {
            using var response = await clients.CreateClient().SendAsync(request);
        }
        catch (HttpRequestException)
        {
        }
    });
    context.Response.StatusCode = 202;
    return Results.Text($$"""{"accepted": {{id}}}""", "application/json");
});

app.Run();
