using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moclojer.Runtime.Webhooks;

namespace ShopApi.Tests;

/// <summary>
/// The ShopApi mock (samples/ShopApi, no C# code) used the way a test suite uses a mock: started in the test,
/// called, verified with typed endpoints, reset between tests.
/// </summary>
public sealed class ShopApiMockTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_mock_starts_on_a_free_port_and_records_typed_calls()
    {
        await using var mock = await MockServer.StartAsync();
        using var client = mock.CreateClient();

        var response = await client.PostAsJsonAsync("/checkout/42", new { total = 15, currency = "EUR" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("127.0.0.1", mock.BaseAddress.Host);
        var call = await mock.Endpoints.PostCheckoutByOrderId.WaitForCallAsync(Wait);
        Assert.Equal(42, call.OrderId);
        Assert.Equal("POST", call.Request.Method);
        Assert.Equal(1, mock.Requests.Count(r => r.Path == "/checkout/42"));
    }

    [Fact]
    public async Task Path_parameters_have_the_types_the_path_declares()
    {
        await using var mock = await MockServer.StartInMemoryAsync();
        using var client = mock.CreateClient();
        var orderId = Guid.NewGuid();

        await client.GetAsync($"/orders/{orderId.ToString().ToUpperInvariant()}");
        await client.GetAsync("/products/007");

        Assert.Equal(orderId, Assert.Single(mock.Endpoints.GetOrdersByOrderId.Calls).OrderId);
        Assert.Equal(7L, Assert.Single(mock.Endpoints.GetProductsById.Calls).Id);
    }

    [Fact]
    public async Task An_unmatched_request_says_which_endpoint_was_closest_and_why()
    {
        await using var mock = await MockServer.StartInMemoryAsync();
        using var client = mock.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/product/1")).StatusCode);

        var miss = Assert.Single(mock.Requests.Unmatched);
        Assert.NotNull(miss.NearMiss);
        Assert.Contains("product", miss.NearMiss!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_is_awaited_in_a_receiver_with_a_fake_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var receiver = new RecordingHandler();
        await using var mock = await MockServer.StartInMemoryAsync(o =>
        {
            o.TimeProvider = clock;
            o.WebhookHandler = receiver;
        });
        using var client = mock.CreateClient();

        await client.PostAsJsonAsync("/checkout/7", new { total = 20, currency = "EUR" });
        Assert.Empty(receiver.Requests); // sleep-time: 2 — nothing is sent before the clock moves
        clock.Advance(TimeSpan.FromSeconds(2));

        var hook = await mock.Webhooks.WaitForDeliveryAsync(r => r.Url.Contains("/payments", StringComparison.Ordinal), Wait);
        Assert.Equal(WebhookOutcome.Sent, hook.Outcome);
        Assert.Matches("\"order\":\\s*7\\b", Assert.Single(receiver.Requests).Body);
        Assert.Single(mock.Endpoints.PostCheckoutByOrderId.Webhooks, r => r.Outcome == WebhookOutcome.Sent);
    }

    [Fact]
    public async Task A_webhook_whose_condition_is_false_is_journaled_with_the_values_it_saw()
    {
        await using var mock = await MockServer.StartInMemoryAsync(o => o.WebhookHandler = new RecordingHandler());
        using var client = mock.CreateClient();

        await client.PostAsJsonAsync("/checkout/8", new { total = 5000, currency = "TEST" });

        var skipped = await mock.Webhooks.WaitForDeliveryAsync(r => r.Outcome == WebhookOutcome.Skipped, Wait);
        Assert.Equal("condition false", skipped.Error);
        Assert.Contains(skipped.ConditionValues!, v => v.Contains("json-params.currency = \"TEST\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reset_forgets_requests_webhooks_and_rate_limits()
    {
        await using var mock = await MockServer.StartInMemoryAsync(o => o.WebhookHandler = new RecordingHandler());
        using var client = mock.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "k1");
        for (var i = 0; i < 5; i++)
        {
            await client.GetAsync("/products/search");
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/products/search")).StatusCode);

        mock.Reset();

        Assert.Empty(mock.Requests.All);
        Assert.Empty(mock.Webhooks.Snapshot());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/products/search")).StatusCode);
    }

    [Fact]
    public async Task Waiting_for_a_call_that_never_comes_shows_what_arrived_instead()
    {
        await using var mock = await MockServer.StartInMemoryAsync();
        using var client = mock.CreateClient();
        await client.GetAsync("/products");

        var error = await Assert.ThrowsAsync<TimeoutException>(() => mock.Endpoints.PostOrders.WaitForCallAsync(TimeSpan.FromMilliseconds(200)));

        Assert.Contains("GET /products", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mock_project_also_runs_in_a_WebApplicationFactory()
    {
        await using var factory = new WebApplicationFactory<MockServer>();
        using var client = factory.CreateClient();

        var product = await client.GetFromJsonAsync<Product>("/products/3");

        Assert.Equal(3, product!.Id);
        var endpoints = new MockServerEndpoints(factory.Services);
        Assert.Equal(3, Assert.Single(endpoints.GetProductsById.Calls).Id);
    }

    private sealed record Product(int Id, string Name);
}
