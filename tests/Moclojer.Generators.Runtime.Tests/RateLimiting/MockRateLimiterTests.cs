using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Moclojer.Runtime;

namespace Moclojer.Generators.Runtime.Tests.RateLimiting;

public class MockRateLimiterTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250);

    [Fact]
    public void Counts_accepted_requests_in_an_exact_sliding_window()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new MockRateLimiter(time);
        var limit = new MockRateLimit("GET /a", 1000, 2, null);

        var first = limiter.Acquire(limit, "k");
        Assert.Equal(new MockRateLimitDecision(true, 2, 1, 1_700_000_002), first); // 1_700_000_001_250 rounded up
        time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Equal(new MockRateLimitDecision(true, 2, 0, 1_700_000_002), limiter.Acquire(limit, "k"));
        time.Advance(TimeSpan.FromMilliseconds(399));
        // 999 ms after the first: both still count, the refusal is not counted.
        Assert.Equal(new MockRateLimitDecision(false, 2, 0, 1_700_000_002), limiter.Acquire(limit, "k"));
        time.Advance(TimeSpan.FromMilliseconds(1));
        // The first left the window exactly now; the oldest counted is the second (accepted at +600).
        Assert.Equal(new MockRateLimitDecision(true, 2, 0, 1_700_000_002), limiter.Acquire(limit, "k"));
        Assert.False(limiter.Acquire(limit, "k").Accepted);
        time.Advance(TimeSpan.FromMilliseconds(600));
        Assert.Equal(new MockRateLimitDecision(true, 2, 0, 1_700_000_003), limiter.Acquire(limit, "k"));
    }

    [Fact]
    public void Keys_and_endpoints_have_their_own_counters()
    {
        var limiter = new MockRateLimiter(new FakeTimeProvider(Start));
        var a = new MockRateLimit("GET /a", 60000, 1, null);
        var b = new MockRateLimit("GET /b", 60000, 1, null);

        Assert.True(limiter.Acquire(a, "alice").Accepted);
        Assert.False(limiter.Acquire(a, "alice").Accepted);
        Assert.True(limiter.Acquire(a, "bob").Accepted);
        Assert.True(limiter.Acquire(b, "alice").Accepted);
    }

    [Fact]
    public void Idle_keys_are_evicted()
    {
        var time = new FakeTimeProvider(Start);
        var limiter = new MockRateLimiter(time);
        var limit = new MockRateLimit("GET /a", 1000, 5, null);
        for (var i = 0; i < 100; i++)
        {
            limiter.Acquire(limit, "key" + i);
        }
        Assert.Equal(100, limiter.KeyCount);

        time.Advance(TimeSpan.FromMinutes(1));
        limiter.Acquire(limit, "fresh");

        Assert.Equal(1, limiter.KeyCount);
    }

    [Fact]
    public void Key_is_the_header_in_any_case_else_the_socket_address()
    {
        var limit = new MockRateLimit("GET /a", 1000, 1, "X-Api-Key");
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.7");
        context.Request.Headers["X-Forwarded-For"] = "1.2.3.4";
        Assert.Equal("10.0.0.7", limit.KeyFor(context));
        Assert.Equal("10.0.0.7", new MockRateLimit("GET /a", 1000, 1, null).KeyFor(context));

        context.Request.Headers["x-api-key"] = "alice";
        Assert.Equal("alice", limit.KeyFor(context));
    }

    [Fact]
    public async Task Refusal_is_429_with_headers_and_the_documented_body()
    {
        var limiter = new MockRateLimiter(new FakeTimeProvider(Start));
        var limit = new MockRateLimit("GET /a", 60000, 1, null);
        var first = new DefaultHttpContext();
        Assert.True(limiter.TryAcquire(first, limit));
        Assert.Equal("1", first.Response.Headers["X-RateLimit-Limit"]);
        Assert.Equal("0", first.Response.Headers["X-RateLimit-Remaining"]);
        Assert.Equal("1700000061", first.Response.Headers["X-RateLimit-Reset"]); // 1_700_000_060_250 rounded up

        var second = new DefaultHttpContext();
        second.Response.Body = new MemoryStream();
        Assert.False(limiter.TryAcquire(second, limit));
        await MockRateLimiter.RejectAsync(second);
        Assert.Equal(429, second.Response.StatusCode);
        Assert.Equal("application/json", second.Response.ContentType);
        Assert.Equal("0", second.Response.Headers["X-RateLimit-Remaining"]);
        Assert.Equal("""{"error":"Rate limit exceeded"}""", Encoding.UTF8.GetString(((MemoryStream)second.Response.Body).ToArray()));
    }
}
