using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moclojer.Runtime.Webhooks;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

/// <summary>
/// W-20: every scheme is checked with an independent implementation here (the BCL's HMAC classes, written out
/// step by step from the providers' documents), against the providers' published examples where they have one.
/// </summary>
public sealed class SignatureTests
{
    // Standard Webhooks' published example (the specification's and Svix's manual-verification page).
    private const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string StandardId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long StandardTimestamp = 1614265330;
    private const string StandardBody = "{\"test\": 2432232314}";
    private const string StandardSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    // Slack's published example ("Verifying requests from Slack").
    private const string SlackSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const long SlackTimestamp = 1531420618;
    private const string SlackBody =
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
        + "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
        + "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    private const string SlackSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    // GitHub's published example ("Validating webhook deliveries").
    private const string GitHubSecret = "It's a Secret to Everybody";
    private const string GitHubBody = "Hello, World!";
    private const string GitHubSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    private static Dictionary<string, string> Sign(WebhookSignature signature, string id, long timestamp, string body, IConfiguration? configuration = null)
    {
        var headers = new List<KeyValuePair<string, string>>();
        Assert.True(signature.TrySign(configuration, id, timestamp, Encoding.UTF8.GetBytes(body), headers, out var error), error);
        return headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
    }

    // ---- independent verifiers, written from the providers' documents -----------------------------------------------

    private static bool VerifyStandard(string secret, string id, string timestamp, byte[] body, string header)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var content = Encoding.UTF8.GetBytes(id + "." + timestamp + ".").Concat(body).ToArray();
        var expected = "v1," + Convert.ToBase64String(new HMACSHA256(key).ComputeHash(content));
        return header.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
    }

    private static bool VerifyGitHub(string secret, byte[] body, string header) =>
        header == "sha256=" + Convert.ToHexString(new HMACSHA256(Encoding.UTF8.GetBytes(secret)).ComputeHash(body)).ToLowerInvariant();

    private static bool VerifyStripe(string secret, byte[] body, string header, out long t)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        t = long.Parse(parts["t"], System.Globalization.CultureInfo.InvariantCulture);
        var payload = Encoding.UTF8.GetBytes(parts["t"] + ".").Concat(body).ToArray();
        return parts["v1"] == Convert.ToHexString(new HMACSHA256(Encoding.UTF8.GetBytes(secret)).ComputeHash(payload)).ToLowerInvariant();
    }

    private static bool VerifySlack(string secret, string timestamp, byte[] body, string header)
    {
        var basestring = Encoding.UTF8.GetBytes("v0:" + timestamp + ":").Concat(body).ToArray();
        return header == "v0=" + Convert.ToHexString(new HMACSHA256(Encoding.UTF8.GetBytes(secret)).ComputeHash(basestring)).ToLowerInvariant();
    }

    // ---- the providers' published examples ---------------------------------------------------------------------------

    [Fact]
    public void StandardWebhooks_ReproducesThePublishedExample()
    {
        var headers = Sign(new WebhookSignature(WebhookSignatureScheme.StandardWebhooks, StandardSecret, null), StandardId, StandardTimestamp, StandardBody);

        Assert.Equal(StandardId, headers["webhook-id"]);
        Assert.Equal("1614265330", headers["webhook-timestamp"]);
        Assert.Equal(StandardSignature, headers["webhook-signature"]);
        Assert.True(VerifyStandard(StandardSecret, StandardId, "1614265330", Encoding.UTF8.GetBytes(StandardBody), StandardSignature));
    }

    [Fact]
    public void Slack_ReproducesThePublishedExample()
    {
        var headers = Sign(new WebhookSignature(WebhookSignatureScheme.Slack, SlackSecret, null), "unused", SlackTimestamp, SlackBody);

        Assert.Equal("1531420618", headers["X-Slack-Request-Timestamp"]);
        Assert.Equal(SlackSignature, headers["X-Slack-Signature"]);
        Assert.True(VerifySlack(SlackSecret, "1531420618", Encoding.UTF8.GetBytes(SlackBody), SlackSignature));
    }

    [Fact]
    public void GitHub_ReproducesThePublishedExample()
    {
        var headers = Sign(new WebhookSignature(WebhookSignatureScheme.GitHub, GitHubSecret, null), "unused", 0, GitHubBody);

        Assert.Equal(GitHubSignature, headers["X-Hub-Signature-256"]);
        Assert.Single(headers);
        Assert.True(VerifyGitHub(GitHubSecret, Encoding.UTF8.GetBytes(GitHubBody), GitHubSignature));
    }

    [Fact]
    public void Stripe_SignsTimestampDotBody_WithTheSecretAsItsKey()
    {
        // Stripe publishes no reproducible example (its sample header has no secret); the verifier is written from its
        // "verify manually" steps: split on ',', t= and v1=, HMAC-SHA256 of "t.payload" with the whole secret as key.
        var headers = Sign(new WebhookSignature(WebhookSignatureScheme.Stripe, "whsec_test_stripe", null), "unused", 1492774577, "{\"id\":\"evt_1\"}");

        Assert.Matches("^t=1492774577,v1=[0-9a-f]{64}$", headers["Stripe-Signature"]);
        Assert.True(VerifyStripe("whsec_test_stripe", Encoding.UTF8.GetBytes("{\"id\":\"evt_1\"}"), headers["Stripe-Signature"], out var t));
        Assert.Equal(1492774577, t);
        Assert.False(VerifyStripe("whsec_test_stripe", Encoding.UTF8.GetBytes("{\"id\":\"evt_2\"}"), headers["Stripe-Signature"], out _));
    }

    [Theory]
    [InlineData(WebhookHmacAlgorithm.Sha1, WebhookSignatureEncoding.Hex)]
    [InlineData(WebhookHmacAlgorithm.Sha256, WebhookSignatureEncoding.Base64)]
    [InlineData(WebhookHmacAlgorithm.Sha512, WebhookSignatureEncoding.Hex)]
    public void Hmac_SignsTheTemplate_WithTheChosenAlgorithmAndEncoding(WebhookHmacAlgorithm algorithm, WebhookSignatureEncoding encoding)
    {
        var signature = new WebhookSignature(WebhookSignatureScheme.Hmac, "s3cret", null, "X-Signature", algorithm, encoding, "sig=", "{timestamp}:{id}:{body}", "X-Sent-At");
        var headers = Sign(signature, "msg_1", 1700000000, "{\"a\":1}");

        var content = Encoding.UTF8.GetBytes("1700000000:msg_1:{\"a\":1}");
        var key = Encoding.UTF8.GetBytes("s3cret");
        byte[] mac = algorithm switch
        {
            WebhookHmacAlgorithm.Sha1 => new HMACSHA1(key).ComputeHash(content),
            WebhookHmacAlgorithm.Sha512 => new HMACSHA512(key).ComputeHash(content),
            _ => new HMACSHA256(key).ComputeHash(content),
        };
        var expected = encoding == WebhookSignatureEncoding.Base64 ? Convert.ToBase64String(mac) : Convert.ToHexString(mac).ToLowerInvariant();
        Assert.Equal("sig=" + expected, headers["X-Signature"]);
        Assert.Equal("1700000000", headers["X-Sent-At"]);
    }

    [Fact]
    public void Hmac_WithoutSignedTemplate_SignsTheBodyAndSendsNoTimestamp()
    {
        var headers = Sign(new WebhookSignature(WebhookSignatureScheme.Hmac, "k", null, "X-Sig"), "msg_1", 5, "body");

        Assert.Equal(Convert.ToHexString(new HMACSHA256("k"u8.ToArray()).ComputeHash("body"u8.ToArray())).ToLowerInvariant(), headers["X-Sig"]);
        Assert.Single(headers);
    }

    [Fact]
    public void SecretFrom_IsReadFromConfiguration_AndAMissingKeyIsAnError()
    {
        var signature = new WebhookSignature(WebhookSignatureScheme.GitHub, null, "Moclojer:Secrets:GitHub");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Moclojer:Secrets:GitHub", GitHubSecret)]).Build();

        Assert.Equal(GitHubSignature, Sign(signature, "x", 0, GitHubBody, configuration)["X-Hub-Signature-256"]);

        var headers = new List<KeyValuePair<string, string>>();
        Assert.False(signature.TrySign(new ConfigurationBuilder().Build(), "x", 0, "b"u8, headers, out var error));
        Assert.Contains("Moclojer:Secrets:GitHub", error);
        Assert.Contains("Moclojer__Secrets__GitHub", error);
        Assert.Empty(headers);
    }

    [Theory]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")] // no prefix
    [InlineData("whsec_not base64!")]
    [InlineData("whsec_")]
    public void StandardWebhooks_RefusesAMalformedSecret(string secret)
    {
        var signature = new WebhookSignature(WebhookSignatureScheme.StandardWebhooks, null, "Moclojer:Secrets:Std");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Moclojer:Secrets:Std", secret)]).Build();

        Assert.False(signature.TrySign(configuration, "x", 0, "b"u8, [], out var error));
        Assert.Contains("is invalid", error);
    }

    // ---- through the dispatcher: signed when sent, with the send time ---------------------------------------------

    public static TheoryData<WebhookSignatureScheme, string> Schemes => new()
    {
        { WebhookSignatureScheme.StandardWebhooks, StandardSecret },
        { WebhookSignatureScheme.GitHub, GitHubSecret },
        { WebhookSignatureScheme.Stripe, "whsec_stripe_fixture" },
        { WebhookSignatureScheme.Slack, SlackSecret },
    };

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task SentWebhook_VerifiesWithTheTimestampOfSending_AndATamperedBodyFails(WebhookSignatureScheme scheme, string secret)
    {
        await using var h = Harness.Create();
        const string body = "{\"event\":\"payment.confirmed\",\"order\":42}";
        h.Dispatch(Entry(0, "http://hooks.test/pay", sleepSeconds: 30, body: body) with { Signature = new WebhookSignature(scheme, secret, null) });

        h.Time.Advance(TimeSpan.FromSeconds(30)); // the timestamp is when it is sent, not when the request arrived
        var sentAt = h.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = await h.Handler.NextAsync();
        var received = request.Body!;
        var tampered = Encoding.UTF8.GetBytes(body.Replace("42", "43", StringComparison.Ordinal));
        Assert.Equal(body, Encoding.UTF8.GetString(received));

        switch (scheme)
        {
            case WebhookSignatureScheme.StandardWebhooks:
                Assert.Equal(sentAt, request.Header("webhook-timestamp"));
                Assert.StartsWith("msg_", request.Header("webhook-id"));
                Assert.True(VerifyStandard(secret, request.Header("webhook-id")!, request.Header("webhook-timestamp")!, received, request.Header("webhook-signature")!));
                Assert.False(VerifyStandard(secret, request.Header("webhook-id")!, request.Header("webhook-timestamp")!, tampered, request.Header("webhook-signature")!));
                Assert.Null(request.Header("X-Moclojer-Delivery")); // webhook-id is the delivery id
                break;
            case WebhookSignatureScheme.GitHub:
                Assert.True(VerifyGitHub(secret, received, request.Header("X-Hub-Signature-256")!));
                Assert.False(VerifyGitHub(secret, tampered, request.Header("X-Hub-Signature-256")!));
                break;
            case WebhookSignatureScheme.Stripe:
                Assert.True(VerifyStripe(secret, received, request.Header("Stripe-Signature")!, out var t));
                Assert.Equal(sentAt, t.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.False(VerifyStripe(secret, tampered, request.Header("Stripe-Signature")!, out _));
                break;
            case WebhookSignatureScheme.Slack:
                Assert.Equal(sentAt, request.Header("X-Slack-Request-Timestamp"));
                Assert.True(VerifySlack(secret, request.Header("X-Slack-Request-Timestamp")!, received, request.Header("X-Slack-Signature")!));
                Assert.False(VerifySlack(secret, request.Header("X-Slack-Request-Timestamp")!, tampered, request.Header("X-Slack-Signature")!));
                break;
        }

        if (scheme != WebhookSignatureScheme.StandardWebhooks)
        {
            Assert.StartsWith("msg_", request.Header("X-Moclojer-Delivery"));
        }

        var record = await h.WaitAsync(r => r.Outcome == WebhookOutcome.Sent);
        Assert.Equal(request.Header("webhook-id") ?? request.Header("X-Moclojer-Delivery"), record.DeliveryId);
    }

    [Fact]
    public async Task AWebhookWithoutBody_SignsTheEmptyBody()
    {
        await using var h = Harness.Create();
        h.Dispatch(Entry(0, "http://hooks.test/ping") with { Signature = new WebhookSignature(WebhookSignatureScheme.GitHub, GitHubSecret, null) });

        var request = await h.Handler.NextAsync();
        Assert.False(request.HasContent);
        Assert.True(VerifyGitHub(GitHubSecret, [], request.Header("X-Hub-Signature-256")!));
    }

    [Fact]
    public async Task SignatureHeaders_ReplaceConfiguredHeadersOfTheSameName()
    {
        await using var h = Harness.Create();
        h.Dispatch(Entry(0, "http://hooks.test/x", body: "b", headers: [("x-hub-signature-256", "forged")])
            with { Signature = new WebhookSignature(WebhookSignatureScheme.GitHub, GitHubSecret, null) });

        var request = await h.Handler.NextAsync();
        Assert.True(VerifyGitHub(GitHubSecret, "b"u8.ToArray(), request.Header("X-Hub-Signature-256")!));
    }

    [Fact]
    public async Task SecretFrom_ComesFromTheHostsConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Moclojer:Secrets:Payments", StandardSecret)]).Build();
        await using var h = Harness.Create(more: services => services.AddSingleton<IConfiguration>(configuration));
        h.Dispatch(Entry(0, "http://hooks.test/pay", body: "{}") with
        {
            Signature = new WebhookSignature(WebhookSignatureScheme.StandardWebhooks, null, "Moclojer:Secrets:Payments"),
        });

        var request = await h.Handler.NextAsync();
        Assert.True(VerifyStandard(StandardSecret, request.Header("webhook-id")!, request.Header("webhook-timestamp")!, "{}"u8.ToArray(), request.Header("webhook-signature")!));
    }

    [Fact]
    public async Task AMissingSecretAtRunTime_FailsTheWebhook_WithoutSendingIt_EvenWithRetries()
    {
        await using var h = Harness.Create();
        h.Dispatch(Entry(0, "http://hooks.test/pay", body: "{}") with
        {
            Signature = new WebhookSignature(WebhookSignatureScheme.Stripe, null, "Moclojer:Secrets:Missing"),
            Retry = new WebhookRetry(5, WebhookRetryBackoff.Fixed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)),
        });

        var record = await h.WaitAsync(_ => true);
        Assert.Equal(WebhookOutcome.Failed, record.Outcome);
        Assert.Contains("Moclojer:Secrets:Missing", record.Error);
        Assert.Equal(1, record.Attempt);
        h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(h.Handler.Requests);
        Assert.Single(h.Journal.Snapshot());
        Assert.Contains(h.Logs.Named("WebhookFailed"), l => l.Message.Contains("Moclojer:Secrets:Missing", StringComparison.Ordinal));
        Assert.Equal(0, h.Dispatcher.PendingCount);
    }
}
