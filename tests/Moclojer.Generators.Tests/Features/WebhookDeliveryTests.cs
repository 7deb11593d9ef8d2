using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Moclojer.Generators.Model;
using Moclojer.Generators.Parsing;
using Moclojer.Generators.Shared;
using Moclojer.Generators.Tests.Infrastructure;
using WebhookDispatcher = Moclojer.Runtime.Webhooks.WebhookDispatcher;

namespace Moclojer.Generators.Tests.Features;

/// <summary>W-20 to W-22 and F-1's webhook-defaults: what the parser reads, where mistakes are reported, and the sample.</summary>
public class WebhookDeliveryTests
{
    private const string Endpoint = "- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n";

    private static MockFileResult Parse(string yaml) => MockFileParser.Parse("/p/mocks.yml", "mocks.yml", yaml);

    private static IReadOnlyList<WebhookSpec> Webhooks(string yaml)
    {
        var result = Parse(yaml);
        Assert.Empty(result.Diagnostics);
        return result.Spec.Endpoints.SelectMany(e => e.Webhooks).ToList();
    }

    [Fact]
    public void Reads_a_signature_a_retry_and_a_sleep_time_range()
    {
        var webhook = Assert.Single(Webhooks(Endpoint
            + "      sleep-time: {min: 1, max: 5}\n"
            + "      signature:\n        scheme: hmac\n        secret-from: Moclojer:Secrets:Hooks\n        header: X-Sig\n        algorithm: sha512\n        encoding: base64\n        prefix: 'v1='\n        signed: '{id}.{timestamp}.{body}'\n        timestamp-header: X-Ts\n"
            + "      retry: {attempts: 4, backoff: fixed, delay: 2, max-delay: 10}\n"));

        Assert.Equal(1, webhook.SleepSeconds);
        Assert.Equal(5, webhook.SleepMaxSeconds);
        Assert.Equal(new SignatureSpec(WebhookSignatureScheme.Hmac, null, "Moclojer:Secrets:Hooks", "X-Sig", WebhookHmacAlgorithm.Sha512,
            WebhookSignatureEncoding.Base64, "v1=", "{id}.{timestamp}.{body}", "X-Ts"), webhook.Signature);
        Assert.Equal(new RetrySpec(4, WebhookRetryBackoff.Fixed, 2, 10), webhook.Retry);
    }

    [Fact]
    public void Retry_defaults_are_exponential_from_one_second_up_to_five_minutes()
    {
        var webhook = Assert.Single(Webhooks(Endpoint + "      retry: {attempts: 3}\n"));
        Assert.Equal(new RetrySpec(3, WebhookRetryBackoff.Exponential, 1, 300), webhook.Retry);
        Assert.Null(Assert.Single(Webhooks(Endpoint)).Retry);
    }

    [Fact]
    public void Webhook_defaults_apply_to_every_webhook_unless_it_sets_its_own_or_none()
    {
        var webhooks = Webhooks(
            "- webhook-defaults:\n    signature: {scheme: github, secret: s3cret}\n    retry: {attempts: 2}\n"
            + Endpoint
            + "- endpoint:\n    path: /b\n    response: {}\n    webhook:\n      - url: http://x/1\n        method: POST\n        signature: {scheme: slack, secret-from: Slack:Secret}\n"
            + "      - url: http://x/2\n        method: POST\n        signature: none\n        retry: none\n");

        Assert.Equal(3, webhooks.Count);
        Assert.Equal(WebhookSignatureScheme.GitHub, webhooks[0].Signature!.Scheme);
        Assert.Equal("s3cret", webhooks[0].Signature!.Secret);
        Assert.Equal(2, webhooks[0].Retry!.Attempts);
        Assert.Equal(WebhookSignatureScheme.Slack, webhooks[1].Signature!.Scheme);
        Assert.Equal(2, webhooks[1].Retry!.Attempts);
        Assert.Null(webhooks[2].Signature);
        Assert.Null(webhooks[2].Retry);
    }

    public static TheoryData<string, string, int, int> Errors => new()
    {
        // id, yaml, line, column (1-based)
        { "MOCK048", Endpoint + "      signature:\n        scheme: paypal\n        secret: x\n", 8, 17 },
        { "MOCK048", Endpoint + "      signature:\n        secret: x\n", 7, 7 },
        { "MOCK048", Endpoint + "      signature:\n        scheme: github\n        secret: x\n        header: X-Sig\n", 10, 9 },
        { "MOCK048", Endpoint + "      signature:\n        scheme: hmac\n        secret: x\n", 7, 7 },
        { "MOCK048", Endpoint + "      signature:\n        scheme: hmac\n        secret: x\n        header: X-Sig\n        algorithm: md5\n", 11, 20 },
        { "MOCK048", Endpoint + "      signature:\n        scheme: hmac\n        secret: x\n        header: X-Sig\n        signed: '{ts}.{body}'\n", 11, 17 },
        { "MOCK048", Endpoint + "      signature:\n        scheme: github\n        secret: x\n        secret-from: A:B\n", 10, 9 },
        { "MOCK048", Endpoint + "      signature: yes\n", 7, 18 },
        { "MOCK049", Endpoint + "      signature:\n        scheme: stripe\n", 7, 7 },
        { "MOCK050", Endpoint + "      signature:\n        scheme: standard-webhooks\n        secret: not-a-whsec\n", 9, 17 },
        { "MOCK050", Endpoint + "      signature:\n        scheme: standard-webhooks\n        secret: whsec_%%%\n", 9, 17 },
        { "MOCK050", Endpoint + "      signature:\n        scheme: github\n        secret-from: 'Moclojer::Secrets'\n", 9, 22 },
        { "MOCK051", Endpoint + "      retry:\n        backoff: fixed\n", 7, 7 },
        { "MOCK051", Endpoint + "      retry:\n        attempts: 0\n", 8, 19 },
        { "MOCK051", Endpoint + "      retry:\n        attempts: 2.5\n", 8, 19 },
        { "MOCK051", Endpoint + "      retry:\n        attempts: 3\n        backoff: linear\n", 9, 18 },
        { "MOCK051", Endpoint + "      retry:\n        attempts: 3\n        delay: 10\n        max-delay: 5\n", 10, 20 },
        { "MOCK051", Endpoint + "      retry: 3\n", 7, 14 },
        { "MOCK020", Endpoint + "      sleep-time: {min: 5, max: 1}\n", 7, 33 },
        { "MOCK020", Endpoint + "      sleep-time:\n        min: 1\n", 7, 7 },
        { "MOCK003", Endpoint + "- webhook-defaults:\n    retry: {attempts: 2}\n", 7, 3 },
        { "MOCK048", "- webhook-defaults:\n    signature: {scheme: nope, secret: x}\n" + Endpoint, 2, 25 },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Mistakes_are_build_errors_at_their_line(string id, string yaml, int line, int column)
    {
        var run = GeneratorHarness.Run(yaml);

        var found = run.GeneratorDiagnostics.Where(d => d.Id == id).ToList();
        Assert.True(found.Count > 0, $"expected {id}; got: {string.Join("; ", run.GeneratorDiagnostics.Select(d => d.ToString()))}");
        Assert.Contains((line, column), found.Select(GeneratorHarness.Position));
        Assert.All(found, d => Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, d.Severity));
        Assert.Empty(run.Sources.Where(s => s.Text.Contains("WebhookSignature(", StringComparison.Ordinal)));
    }

    [Fact]
    public void Emits_the_settings_as_static_fields_and_compiles()
    {
        var run = GeneratorHarness.Run(Endpoint
            + "      sleep-time: {min: 0.5, max: 2}\n      signature: {scheme: stripe, secret-from: Moclojer:Secrets:Stripe}\n      retry: {attempts: 3, delay: 1, max-delay: 8}\n");

        Assert.Empty(run.Errors);
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
        var code = string.Concat(run.Sources.Select(s => s.Text));
        Assert.Contains("WebhookSignatureScheme.Stripe, null, \"Moclojer:Secrets:Stripe\"", code);
        Assert.Contains("new(3, global::Moclojer.Runtime.Webhooks.WebhookRetryBackoff.Exponential, global::System.TimeSpan.FromSeconds(1), global::System.TimeSpan.FromSeconds(8))", code);
        Assert.Contains("MaxSleepTime = global::System.TimeSpan.FromSeconds(2)", code);
    }

    /// <summary>The ShopApi sample's payment webhook, compiled and served, is signed as Standard Webhooks.</summary>
    [Fact]
    public async Task The_sample_signs_its_payment_webhook_as_standard_webhooks()
    {
        var sample = Path.Combine(Corpus.RepoRoot, "samples", "ShopApi");
        var yaml = File.ReadAllText(Path.Combine(sample, "mocks.yml"));
        var data = Directory.GetFiles(Path.Combine(sample, "data"), "*.json")
            .Select(f => new InMemoryAdditionalText("/project/data/" + Path.GetFileName(f), File.ReadAllText(f)));
        var run = GeneratorHarness.Run([new InMemoryAdditionalText("/project/mocks.yml", yaml), .. data]);
        Assert.Empty(run.Errors);
        var assembly = GeneratorHarness.Load(run);

        var time = new FakeTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var receiver = new CapturingHandler();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        Invoke(assembly, "Microsoft.Extensions.DependencyInjection.MoclojerServiceCollectionExtensions", "AddMoclojer", builder.Services);
        builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => receiver);
        await using var app = builder.Build();
        Invoke(assembly, "Microsoft.AspNetCore.Builder.MoclojerEndpointRouteBuilderExtensions", "MapMoclojer", (IEndpointRouteBuilder)app);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        var answer = await client.PostAsync("/checkout/42", new StringContent("{\"total\": 250, \"currency\": \"BRL\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(202, (int)answer.StatusCode);
        time.Advance(TimeSpan.FromSeconds(2));
        var request = await receiver.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.StartsWith("http://localhost:9000/payments/confirmations", request.Url);
        var secret = Regex.Match(yaml, @"secret: (whsec_\S+)").Groups[1].Value;
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var id = request.Headers["webhook-id"];
        var timestamp = request.Headers["webhook-timestamp"];
        Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        var signed = Encoding.UTF8.GetBytes(id + "." + timestamp + ".").Concat(request.Body).ToArray();
        Assert.Equal("v1," + Convert.ToBase64String(new HMACSHA256(key).ComputeHash(signed)), request.Headers["webhook-signature"]);
        Assert.Contains("\"order\":42", Encoding.UTF8.GetString(request.Body));
        await app.StopAsync();
    }

    private static void Invoke(Assembly assembly, string type, string name, object argument) =>
        assembly.GetType(type, throwOnError: true)!.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [argument]);

    private sealed record Captured(string Url, Dictionary<string, string> Headers, byte[] Body);

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public TaskCompletionSource<Captured> Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Arrived.TrySetResult(new Captured(request.RequestUri!.AbsoluteUri,
                request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase), body));
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{}") };
        }
    }
}
