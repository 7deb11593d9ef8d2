using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moclojer.Runtime.Webhooks;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

public sealed class UrlAndSecurityTests
{
    private static DefaultHttpContext Context(params string[] depthHeader)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("virtual.test:8080");
        context.Connection.LocalIpAddress = IPAddress.Loopback;
        context.Connection.LocalPort = 5123;
        if (depthHeader.Length > 0)
        {
            context.Request.Headers[WebhookDispatcher.DepthHeaderName] = depthHeader;
        }

        return context;
    }

    [Theory]
    [InlineData(null, "1")]
    [InlineData("0", "1")]
    [InlineData("9", "10")]
    [InlineData("abc", "1")]
    [InlineData("-1", "1")]
    [InlineData("+3", "1")]
    [InlineData(" 3", "1")]
    public async Task TheDepthHeader_IsTheTriggersDepthPlusOne(string? incoming, string expected)
    {
        await using var h = Harness.Create();
        var context = incoming is null ? Context() : Context(incoming);
        h.Dispatcher.Dispatch(context, "POST /orders", h.Time.GetUtcNow(),
            [Entry(0, "http://hooks.test/d", headers: [(WebhookDispatcher.DepthHeaderName, "99"), ("x-moclojer-webhook-depth", "98")])]);

        await h.WaitAsync(r => r.Outcome == WebhookOutcome.Sent);
        Assert.Equal(expected, Assert.Single(h.Handler.Requests).Header(WebhookDispatcher.DepthHeaderName));
    }

    [Fact]
    public async Task TwoDepthHeaders_CountAsDepthZero()
    {
        await using var h = Harness.Create();
        h.Dispatcher.Dispatch(Context("3", "4"), "POST /orders", h.Time.GetUtcNow(), [Entry(0, "http://hooks.test/d")]);
        await h.WaitAsync(r => r.Outcome == WebhookOutcome.Sent);
        Assert.Equal("1", Assert.Single(h.Handler.Requests).Header(WebhookDispatcher.DepthHeaderName));
    }

    [Theory]
    [InlineData("10")]
    [InlineData("11")]
    [InlineData("99999999999999999999")]
    public async Task AWebhookBeyondDepthTen_IsSkippedAndNotSent(string incoming)
    {
        await using var h = Harness.Create();
        h.Dispatcher.Dispatch(Context(incoming), "POST /loop", h.Time.GetUtcNow(),
            [Entry(0, "http://hooks.test/a"), Entry(1, "/loop", kind: WebhookUrlKind.Relative)]);

        var records = h.Journal.Snapshot();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(WebhookOutcome.Skipped, r.Outcome));
        Assert.All(records, r => Assert.Contains("would exceed the limit of 10", r.Error));
        Assert.Equal(2, h.Logs.Named("WebhookSkipped").Count);
        Assert.Equal(0, h.Dispatcher.PendingCount);
        Assert.Empty(h.Handler.Requests);
    }

    [Fact]
    public async Task ARelativeUrl_GoesToTheLocalAddressWithTheTriggersHost()
    {
        await using var h = Harness.Create();
        h.Dispatcher.Dispatch(Context(), "POST /orders", h.Time.GetUtcNow(),
            [Entry(0, "/internal/fulfil/o-1?note=gift%20wrap%20%26%20card", kind: WebhookUrlKind.Relative)]);

        var record = await h.WaitAsync(r => r.Outcome == WebhookOutcome.Sent);
        Assert.Equal("http://127.0.0.1:5123/internal/fulfil/o-1?note=gift%20wrap%20%26%20card", record.Url);
        var request = Assert.Single(h.Handler.Requests);
        Assert.Equal("virtual.test:8080", request.Header("Host"));
        Assert.Equal("/internal/fulfil/o-1?note=gift%20wrap%20%26%20card", request.Uri.PathAndQuery);
    }

    [Theory]
    [InlineData("::1", 7000, "http://[::1]:7000/x")]
    [InlineData("::ffff:127.0.0.1", 7000, "http://127.0.0.1:7000/x")]
    [InlineData("0.0.0.0", 7000, "http://127.0.0.1:7000/x")]
    [InlineData(null, 7000, "http://127.0.0.1:7000/x")]
    public async Task ARelativeUrl_UsesAUsableLocalAddress(string? local, int port, string expected)
    {
        await using var h = Harness.Create();
        h.Dispatch(new WebhookTrigger("HTTP", local is null ? null : IPAddress.Parse(local), port, null, 0),
            Entry(0, "/x", kind: WebhookUrlKind.Relative));
        Assert.Equal(expected, (await h.WaitAsync(r => r.Outcome == WebhookOutcome.Sent)).Url);
    }

    [Theory]
    [InlineData("//evil.test/x")]
    [InlineData("x")]
    public async Task AMalformedRelativeUrl_Fails(string url)
    {
        await using var h = Harness.Create();
        h.Dispatch(Entry(0, url, kind: WebhookUrlKind.Relative));
        var record = await h.WaitAsync(_ => true);
        Assert.Equal(WebhookOutcome.Failed, record.Outcome);
        Assert.Empty(h.Handler.Requests);
    }

    [Fact]
    public async Task ARelativeUrl_WithoutAKnownLocalPort_Fails()
    {
        await using var h = Harness.Create();
        h.Dispatcher.Dispatch(new DefaultHttpContext(), "POST /orders", h.Time.GetUtcNow(), [Entry(0, "/x", kind: WebhookUrlKind.Relative)]);
        var record = await h.WaitAsync(_ => true);
        Assert.Equal(WebhookOutcome.Failed, record.Outcome);
        Assert.Contains("local port", record.Error);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:9977/cb/subs")]
    [InlineData("/cb/subs")]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("http://")]
    [InlineData("mailto:someone@example.com")]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    public async Task AnInvalidCallbackUrl_IsNotSent_AndIsRecordedFailed(string value)
    {
        await using var h = Harness.Create();
        h.Dispatch(Entry(0, value, kind: WebhookUrlKind.Callback, body: "{}"));

        var record = await h.WaitAsync(_ => true);
        Assert.Equal(WebhookOutcome.Failed, record.Outcome);
        Assert.Equal(value, record.Url);
        Assert.Null(record.SentAt);
        Assert.Empty(h.Handler.Requests);
        Assert.Contains(h.Logs.Named("WebhookFailed"), l => l.Message.Contains("invalid_url", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AValidCallbackUrl_IsUsedAsItIs()
    {
        await using var h = Harness.Create();
        h.Dispatch(Entry(0, "HTTPS://Callbacks.Example.com:8443/cb/subs?token=a%20b&x=1", kind: WebhookUrlKind.Callback));

        var record = await h.WaitAsync(_ => true);
        Assert.Equal(WebhookOutcome.Sent, record.Outcome);
        var request = Assert.Single(h.Handler.Requests);
        Assert.Equal("https://callbacks.example.com:8443/cb/subs?token=a%20b&x=1", request.Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://allowed.test/cb", true)]
    [InlineData("http://ALLOWED.test./cb", true)]
    [InlineData("http://a.partner.test/cb", true)]
    [InlineData("http://a.b.partner.test/cb", true)]
    [InlineData("http://partner.test/cb", false)]
    [InlineData("http://notpartner.test/cb", false)]
    [InlineData("http://127.0.0.1:9977/cb", true)]
    [InlineData("http://127.0.0.1:9978/cb", false)]
    [InlineData("http://[::1]:9000/cb", true)]
    [InlineData("http://169.254.169.254/latest/meta-data", false)]
    [InlineData("http://evil.test/cb", false)]
    [InlineData("http://allowed.test.evil.test/cb", false)]
    public async Task TheAllowList_IsEnforcedForCallbackUrls(string url, bool allowed)
    {
        await using var h = Harness.Create(o =>
        {
            o.AllowedHosts.Add("allowed.test");
            o.AllowedHosts.Add("*.partner.test");
            o.AllowedHosts.Add("127.0.0.1:9977");
            o.AllowedHosts.Add("[::1]");
        });
        h.Dispatch(Entry(0, url, kind: WebhookUrlKind.Callback));

        var record = await h.WaitAsync(_ => true);
        if (allowed)
        {
            Assert.Equal(WebhookOutcome.Sent, record.Outcome);
        }
        else
        {
            Assert.Equal(WebhookOutcome.Failed, record.Outcome);
            Assert.Contains("is not in Moclojer:Webhooks:AllowedHosts", record.Error);
            Assert.Empty(h.Handler.Requests);
        }
    }

    [Fact]
    public async Task TheAllowList_IsEnforcedForAbsoluteUrls()
    {
        await using var h = Harness.Create(o => o.AllowedHosts.Add("allowed.test"));
        h.Dispatch(Entry(0, "http://other.test/hook"), Entry(1, "http://allowed.test/hook"));

        await h.WaitAsync(r => r.Index == 1);
        var records = h.Journal.Snapshot();
        Assert.Equal(WebhookOutcome.Failed, records[0].Outcome);
        Assert.Equal(WebhookOutcome.Sent, records[1].Outcome);
    }

    [Fact]
    public async Task RelativeUrls_AreExemptFromTheAllowList_UnlessConfiguredOtherwise()
    {
        await using (var h = Harness.Create(o => o.AllowedHosts.Add("allowed.test")))
        {
            h.Dispatch(Entry(0, "/self", kind: WebhookUrlKind.Relative));
            Assert.Equal(WebhookOutcome.Sent, (await h.WaitAsync(_ => true)).Outcome);
        }

        await using (var h = Harness.Create(o =>
        {
            o.AllowedHosts.Add("allowed.test");
            o.CheckRelativeUrlsAgainstAllowedHosts = true;
        }))
        {
            h.Dispatch(Entry(0, "/self", kind: WebhookUrlKind.Relative));
            Assert.Equal(WebhookOutcome.Failed, (await h.WaitAsync(_ => true)).Outcome);
        }
    }

    [Fact]
    public async Task InvalidAllowListEntries_AreRejectedByOptionsValidation()
    {
        await using var services = new ServiceCollection().AddMoclojerWebhooks(o =>
        {
            o.AllowedHosts.Add("bad host");
            o.AllowedHosts.Add("a.*.test");
            o.AllowedHosts.Add("host:99999");
        }).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<WebhookDispatcher>());
        Assert.Equal(3, error.Failures.Count());
    }
}
