using Moclojer.Runtime.Webhooks;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

public sealed class RequestShapeTests
{
    private static async Task<CapturedRequest> SendOneAsync(WebhookEntry entry)
    {
        await using var h = Harness.Create();
        h.Dispatch(entry);
        var record = await h.WaitAsync(_ => true);
        Assert.Equal(WebhookOutcome.Sent, record.Outcome);
        return Assert.Single(h.Handler.Requests);
    }

    [Fact]
    public async Task ABodyWithoutAContentType_GetsApplicationJson()
    {
        var request = await SendOneAsync(Entry(0, "http://hooks.test/a", body: "{\"event\":\"order.created\"}"));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("{\"event\":\"order.created\"}", Encoding.UTF8.GetString(request.Body!));
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("content-type")]
    [InlineData("CONTENT-TYPE")]
    public async Task AConfiguredContentType_InAnyCase_ReplacesTheDefault(string name)
    {
        var request = await SendOneAsync(Entry(0, "http://hooks.test/a", body: "a,b", headers: [(name, "text/csv; charset=utf-8")]));
        Assert.Equal("text/csv; charset=utf-8", request.Header("Content-Type"));
        Assert.Single(request.ContentHeaders, h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task NoBody_MeansNoContentAndNoContentType(string method)
    {
        var request = await SendOneAsync(Entry(0, "http://hooks.test/a", method: method));
        Assert.Equal(method, request.Method);
        Assert.False(request.HasContent);
        Assert.Null(request.Header("Content-Type"));
    }

    [Fact]
    public async Task NoBody_WithAConfiguredContentType_SendsTheConfiguredHeader()
    {
        var request = await SendOneAsync(Entry(0, "http://hooks.test/a", method: "PUT", headers: [("Content-Type", "text/plain")]));
        Assert.Equal("text/plain", request.Header("Content-Type"));
        Assert.Empty(request.Body!);
    }

    [Fact]
    public async Task TheMethodIsSentInUpperCase()
    {
        var request = await SendOneAsync(Entry(0, "http://hooks.test/a", method: "patch", body: "{}"));
        Assert.Equal("PATCH", request.Method);
    }

    [Fact]
    public async Task ConfiguredHeaders_AreSentWithTheirValuesIntact_AndTheUserAgentNamesTheProduct()
    {
        var request = await SendOneAsync(Entry(0, "http://hooks.test/a", body: "{}", headers:
            [("Authorization", "Bearer AbC-123"), ("X-Static", "MixedCase-Value"), ("X-Empty", ""), ("Content-Language", "pt-BR")]));
        Assert.Equal("Bearer AbC-123", request.Header("Authorization"));
        Assert.Equal("MixedCase-Value", request.Header("X-Static"));
        Assert.Equal("", request.Header("X-Empty"));
        Assert.Equal("pt-BR", request.Header("Content-Language"));
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.StartsWith("Moclojer.Generators/", request.Header("User-Agent"));
    }

    [Fact]
    public async Task AConfiguredUserAgent_WinsOverTheDefault()
    {
        var request = await SendOneAsync(Entry(0, "http://hooks.test/a", headers: [("User-Agent", "PaymentsProvider/2.0")]));
        Assert.Equal("PaymentsProvider/2.0", request.Header("User-Agent"));
    }

    [Fact]
    public async Task LineBreaksInHeaderValues_AreRemoved()
    {
        var request = await SendOneAsync(Entry(0, "http://hooks.test/a", headers: [("X-Note", "a\r\nX-Injected: yes\nb\0c")]));
        Assert.Equal("aX-Injected: yesbc", request.Header("X-Note"));
        Assert.Null(request.Header("X-Injected"));
    }

    [Fact]
    public async Task AnInvalidHeaderName_IsLeftOut_AndTheWebhookIsStillSent()
    {
        await using var h = Harness.Create();
        h.Dispatch(Entry(0, "http://hooks.test/a", headers: [("Bad Name", "x"), ("X-Good", "y")]));
        await h.WaitAsync(r => r.Outcome == WebhookOutcome.Sent);
        Assert.Equal("y", Assert.Single(h.Handler.Requests).Header("X-Good"));
        Assert.Contains("Bad Name", Assert.Single(h.Logs.Named("WebhookHeaderIgnored")).Message);
    }

    [Fact]
    public async Task AnInvalidMethod_IsRecordedFailed()
    {
        await using var h = Harness.Create();
        h.Dispatch(Entry(0, "http://hooks.test/a", method: "NOT VALID"), Entry(1, "http://hooks.test/b"));
        await h.WaitAsync(r => r.Index == 1);
        Assert.Equal(WebhookOutcome.Failed, h.Journal.Snapshot()[0].Outcome);
        Assert.Equal(WebhookOutcome.Sent, h.Journal.Snapshot()[1].Outcome);
    }

    [Fact]
    public async Task Dispatch_NeverThrows()
    {
        await using var h = Harness.Create();
        h.Dispatcher.Dispatch(Trigger(), "POST /orders", h.Time.GetUtcNow(), null!);
        h.Dispatcher.Dispatch(Trigger(), "POST /orders", h.Time.GetUtcNow(), []);
        h.Dispatcher.Dispatch((Microsoft.AspNetCore.Http.HttpContext)null!, "POST /orders", h.Time.GetUtcNow(), [Entry(0, "http://hooks.test/a")]);
        h.Dispatcher.Dispatch(Trigger(), "POST /orders", h.Time.GetUtcNow(), [null!, Entry(0, "http://hooks.test/ok")]);
        await h.WaitForUrlAsync("/ok");
        Assert.Single(h.Logs.Named("WebhookDispatchError"));
    }

    [Fact]
    public async Task ConditionOutcomes_AreLogged()
    {
        await using var h = Harness.Create();
        h.Dispatcher.RecordConditionFalse("POST /orders", 1);
        Assert.Equal(LogLevel.Debug, Assert.Single(h.Logs.Named("WebhookConditionFalse")).Level);
        Assert.Empty(h.Journal.Snapshot());
    }
}
