using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using MoclojerMockNamespace;

namespace MoclojerMock.Tests;

/// <summary>
/// Starts the mock compiled from MoclojerMockProject's mocks.yml inside the test (on 127.0.0.1, a free port), calls it as
/// the system under test would, and checks what it received and the webhooks it sent.
/// </summary>
public class MockTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_payment_is_read_with_its_typed_id()
    {
        await using var mock = await MockServer.StartAsync();
        using var client = mock.CreateClient();

        var response = await client.GetAsync("/payments/42");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"id":42,"status":"confirmed"}""", await response.Content.ReadAsStringAsync());
        var call = await mock.Endpoints.GetPaymentsById.WaitForCallAsync(Timeout);
        Assert.Equal(42, call.Id);
    }

    [Fact]
    public async Task A_wrongly_typed_id_is_refused()
    {
        await using var mock = await MockServer.StartAsync();
        using var client = mock.CreateClient();

        var response = await client.GetAsync("/payments/abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_payment_sends_its_webhook_after_its_sleep_time()
    {
        // The mock's clock is fake, and its webhooks go to a handler here instead of the network.
        var time = new FakeTimeProvider();
        var receiver = new Receiver();
        await using var mock = await MockServer.StartAsync(options =>
        {
            options.TimeProvider = time;
            options.WebhookHandler = receiver;
        });
        using var client = mock.CreateClient();

        var response = await client.PostAsync("/payments", new StringContent(
            """{"amount": 1500, "customer": {"name": "Ana"}, "callback_url": "http://shop.test/callbacks"}""",
            Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(mock.Webhooks.Snapshot());
        time.Advance(TimeSpan.FromSeconds(2));
        var webhook = await mock.Webhooks.WaitForDeliveryAsync(r => r.Url == "http://shop.test/callbacks", Timeout);
        Assert.Equal(200, webhook.StatusCode);
        Assert.Equal("""{"event":"payment.confirmed","amount":1500}""", webhook.RequestBody);
    }

    /// <summary>Stands for the system under test's callback endpoint: answers every webhook with 200.</summary>
    private sealed class Receiver : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}
