using System.Net;
using Microsoft.Extensions.Time.Testing;
using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Features;

/// <summary>RL: generated endpoints with rate-limit, served by Kestrel, with a fake clock.</summary>
public class RateLimitTests
{
    private const string Yaml = """
        - endpoint:
            path: /limited/:id|int
            response:
              body: '{"ok": true}'
            rate-limit:
              window-ms: 60000
              max-requests: 2
        - endpoint:
            path: /keyed
            response:
              body: '{"ok": true}'
            rate-limit:
              window-ms: 1000
              max-requests: 1
              key-fn: X-Api-Key
        - endpoint:
            path: /free
            response:
              body: '{"free": true}'
        """;

    [Fact]
    public async Task Limited_endpoint_counts_per_endpoint_and_key_and_runs_before_the_type_check()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var service = await GeneratedService.StartAsync(Yaml, time);
        var client = service.Client;

        var first = await client.GetAsync("/limited/1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("2", first.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("1", first.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal("1700000060", first.Headers.GetValues("X-RateLimit-Reset").Single());

        // A wrongly typed value is still counted: the limit runs first.
        var bad = await client.GetAsync("/limited/abc");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("0", bad.Headers.GetValues("X-RateLimit-Remaining").Single());

        var refused = await client.GetAsync("/limited/2");
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("application/json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"error":"Rate limit exceeded"}""", await refused.Content.ReadAsStringAsync());
        Assert.Equal("0", refused.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal("1700000060", refused.Headers.GetValues("X-RateLimit-Reset").Single());

        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/limited/3")).StatusCode);
    }

    [Fact]
    public async Task Header_key_is_matched_in_any_case_and_unlimited_endpoints_send_no_headers()
    {
        await using var service = await GeneratedService.StartAsync(Yaml, new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));
        var client = service.Client;

        async Task<HttpStatusCode> Get(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/keyed");
            request.Headers.TryAddWithoutValidation(key.StartsWith('a') ? "X-Api-Key" : "x-api-key", key);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await Get("alice"));
        Assert.Equal((HttpStatusCode)429, await Get("alice"));
        Assert.Equal(HttpStatusCode.OK, await Get("bob"));
        Assert.Equal((HttpStatusCode)429, await Get("bob"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/keyed")).StatusCode); // no header: the remote address

        for (var i = 0; i < 105; i++)
        {
            var free = await client.GetAsync("/free");
            Assert.Equal(HttpStatusCode.OK, free.StatusCode);
            Assert.False(free.Headers.Contains("X-RateLimit-Limit"));
        }
    }
}
