using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moclojer.Runtime.Webhooks;

namespace ShopApi.Tests;

/// <summary>
/// A system under test (samples/Storefront, in a WebApplicationFactory) and the ShopApi mock in one process, no port:
/// the storefront's calls go to the in-memory mock, and the mock's webhooks come back to the storefront.
/// </summary>
public sealed class StorefrontTests
{
    [Fact]
    public async Task A_checkout_reaches_the_mock_and_its_payment_webhook_reaches_the_storefront()
    {
        MockServer? mock = null;
        await using var storefront = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.ConfigureTestServices(services => services.AddHttpClient("shop")
                .ConfigurePrimaryHttpMessageHandler(() => mock!.CreateHandler())));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        mock = await MockServer.StartInMemoryAsync(o =>
        {
            o.TimeProvider = clock;
            o.WebhookHandler = storefront.Server.CreateHandler();
        });
        await using var _ = mock;
        using var client = storefront.CreateClient();

        var bought = await client.PostAsync("/buy/42?total=1500", null);
        bought.EnsureSuccessStatusCode();
        Assert.Equal(202, (await bought.Content.ReadFromJsonAsync<Bought>())!.ShopStatus);

        var call = await mock.Endpoints.PostCheckoutByOrderId.WaitForCallAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(42, call.OrderId);
        Assert.Contains("\"total\":1500", call.Request.BodyText, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromSeconds(2)); // the payment provider confirms two seconds later
        var hook = await mock.Webhooks.WaitForDeliveryAsync(r => r.Url.Contains("/payments/confirmations", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal(WebhookOutcome.Sent, hook.Outcome);
        Assert.Equal(200, hook.StatusCode);
        var confirmation = await client.GetStringAsync("/payments/42");
        Assert.Contains("payment.confirmed", confirmation, StringComparison.Ordinal);
    }

    private sealed record Bought(int OrderId, int ShopStatus);
}
