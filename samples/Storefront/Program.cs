using System.Collections.Concurrent;

// The storefront: POST /buy/{orderId} starts a checkout at the shop API ("Shop:BaseUrl"), and the shop's payment
// provider confirms it later with a webhook to POST /payments/confirmations.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHttpClient("shop", client => client.BaseAddress = new Uri(builder.Configuration["Shop:BaseUrl"] ?? "http://localhost:8000/"));
builder.Services.AddSingleton<PaymentInbox>();

var app = builder.Build();

app.MapPost("/buy/{orderId:int}", async (int orderId, decimal total, IHttpClientFactory clients) =>
{
    var shop = clients.CreateClient("shop");
    using var response = await shop.PostAsJsonAsync($"/checkout/{orderId}", new { total, currency = "EUR", customer = new { name = "Ada" } });
    return Results.Json(new { orderId, shopStatus = (int)response.StatusCode });
});

app.MapPost("/payments/confirmations", async (HttpRequest request, PaymentInbox inbox) =>
{
    using var reader = new StreamReader(request.Body);
    inbox.Add(request.Query["order"].ToString(), await reader.ReadToEndAsync());
    return Results.Ok();
});

app.MapGet("/payments/{orderId}", (string orderId, PaymentInbox inbox) =>
    inbox.TryGet(orderId, out var body) ? Results.Text(body, "application/json") : Results.NotFound());

app.Run();

/// <summary>Payment confirmations received, by order.</summary>
public sealed class PaymentInbox
{
    private readonly ConcurrentDictionary<string, string> _confirmations = new();

    public void Add(string orderId, string body) => _confirmations[orderId] = body;

    public bool TryGet(string orderId, out string body) => _confirmations.TryGetValue(orderId, out body!);
}

/// <summary>Lets WebApplicationFactory find the storefront.</summary>
public partial class Program;
