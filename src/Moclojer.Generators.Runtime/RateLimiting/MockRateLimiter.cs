using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Moclojer.Runtime;

/// <summary>The <c>rate-limit</c> of one endpoint (RL-7), created once by the generated code.</summary>
public sealed class MockRateLimit
{
    /// <param name="endpoint">The endpoint's display name; with the key, it names a counter (RL-2).</param>
    /// <param name="windowMilliseconds"><c>window-ms</c>, positive.</param>
    /// <param name="maxRequests"><c>max-requests</c>, positive.</param>
    /// <param name="keyHeader">The header named by <c>key-fn</c>, or null for <c>remote-addr</c> (RL-4).</param>
    public MockRateLimit(string endpoint, long windowMilliseconds, int maxRequests, string? keyHeader)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowMilliseconds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRequests, 1);
        Endpoint = endpoint;
        WindowMilliseconds = windowMilliseconds;
        MaxRequests = maxRequests;
        KeyHeader = keyHeader;
        LimitText = maxRequests.ToString(CultureInfo.InvariantCulture);
    }

    public string Endpoint { get; }

    public long WindowMilliseconds { get; }

    public int MaxRequests { get; }

    public string? KeyHeader { get; }

    internal string LimitText { get; }

    /// <summary>RL-4: the header's value (any letter case, several values joined), else the socket's remote address.</summary>
    public string KeyFor(HttpContext context)
    {
        if (KeyHeader is not null && context.Request.Headers.TryGetValue(KeyHeader, out var values) && values.Count > 0)
        {
            return values.Count == 1 ? values[0] ?? string.Empty : string.Join(", ", values.ToArray());
        }
        // X-Forwarded-For is deliberately ignored: only the socket's address counts.
        return context.Connection.RemoteIpAddress?.ToString() ?? string.Empty;
    }
}

/// <summary>The decision for one request: accepted or not, and the values of the X-RateLimit-* headers.</summary>
public readonly record struct MockRateLimitDecision(bool Accepted, int Limit, int Remaining, long ResetUnixSeconds);

/// <summary>
/// Rate limiting of RL-1 to RL-6: one exact sliding log of accepted requests per endpoint and key.
/// <para>
/// Why not <c>System.Threading.RateLimiting</c> (or ASP.NET Core's rate limiting middleware built on it): its
/// <c>SlidingWindowRateLimiter</c> approximates a sliding window with a fixed number of segments, so a request is
/// admitted or refused by segment counts rather than by the exact time of each accepted request (RL-3), and a
/// lease cannot tell when the oldest counted request leaves the window, which <c>X-RateLimit-Reset</c> needs
/// (RL-5, RL-6). Its <c>PartitionedRateLimiter</c> also only evicts idle partitions on a timer that does not
/// follow a <see cref="TimeProvider"/>. So this is a small exact log: each key keeps the times of its accepted
/// requests still inside the window (at most <c>max-requests</c> of them), and keys with nothing left in the
/// window are evicted, so memory stays bounded by the traffic of the last window.
/// </para>
/// </summary>
public sealed class MockRateLimiter
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(MockRateLimit Limit, string Key), SlidingLog> _logs = new();
    private readonly TimeProvider _time;
    private long _nextSweep;

    public MockRateLimiter(TimeProvider time)
    {
        _time = time;
        _nextSweep = time.GetUtcNow().ToUnixTimeMilliseconds() + (long)SweepInterval.TotalMilliseconds;
    }

    /// <summary>The number of keys currently holding a log (for tests and diagnostics).</summary>
    public int KeyCount => _logs.Count;

    /// <summary>Forgets every counter (the test host's <c>Reset()</c>): every key starts with a full allowance again.</summary>
    public void Clear()
    {
        foreach (var pair in _logs)
        {
            lock (pair.Value)
            {
                pair.Value.Evicted = true;
                _logs.TryRemove(pair);
            }
        }
    }

    /// <summary>Counts the request if it is accepted (RL-3: only accepted requests count).</summary>
    public MockRateLimitDecision Acquire(MockRateLimit limit, string key)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        SweepIfDue(now);
        while (true)
        {
            var log = _logs.GetOrAdd((limit, key), static _ => new SlidingLog());
            lock (log)
            {
                if (log.Evicted)
                {
                    continue; // removed by a sweep between GetOrAdd and lock: take the fresh one
                }
                log.Expire(now, limit.WindowMilliseconds);
                if (log.Count >= limit.MaxRequests)
                {
                    return new MockRateLimitDecision(false, limit.MaxRequests, 0, ResetSeconds(log.Oldest, limit));
                }
                log.Add(now);
                return new MockRateLimitDecision(true, limit.MaxRequests, limit.MaxRequests - log.Count, ResetSeconds(log.Oldest, limit));
            }
        }
    }

    /// <summary>
    /// Applies the limit to a request: adds the X-RateLimit-* headers (RL-5, RL-6) and returns whether it may be
    /// served. A refused request must then be answered with <see cref="RejectAsync"/>.
    /// </summary>
    public bool TryAcquire(HttpContext context, MockRateLimit limit)
    {
        var decision = Acquire(limit, limit.KeyFor(context));
        var headers = context.Response.Headers;
        headers["X-RateLimit-Limit"] = limit.LimitText;
        headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = decision.ResetUnixSeconds.ToString(CultureInfo.InvariantCulture);
        return decision.Accepted;
    }

    private static readonly byte[] RejectedBody = """{"error":"Rate limit exceeded"}"""u8.ToArray();

    /// <summary>RL-6: 429 with the documented JSON body.</summary>
    public static Task RejectAsync(HttpContext context) =>
        MockResponses.WriteStaticAsync(context, StatusCodes.Status429TooManyRequests, MockResponses.JsonContentType, RejectedBody);

    /// <summary>The Unix time, in whole seconds rounded up, at which the oldest counted request leaves the window.</summary>
    private static long ResetSeconds(long oldest, MockRateLimit limit)
    {
        var leaves = oldest + limit.WindowMilliseconds;
        return leaves / 1000 + (leaves % 1000 == 0 ? 0 : 1);
    }

    private void SweepIfDue(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)SweepInterval.TotalMilliseconds, due) != due)
        {
            return;
        }
        foreach (var pair in _logs)
        {
            var log = pair.Value;
            lock (log)
            {
                log.Expire(now, pair.Key.Limit.WindowMilliseconds);
                if (log.Count == 0)
                {
                    log.Evicted = true;
                    _logs.TryRemove(pair);
                }
            }
        }
    }

    /// <summary>The accepted request times of one key, oldest first, in a ring buffer.</summary>
    private sealed class SlidingLog
    {
        private long[] _times = new long[4];
        private int _head;

        public int Count { get; private set; }

        public bool Evicted { get; set; }

        public long Oldest => _times[_head];

        /// <summary>A request counts while less than the window has passed since it was accepted.</summary>
        public void Expire(long now, long window)
        {
            while (Count > 0 && now - _times[_head] >= window)
            {
                _head = (_head + 1) % _times.Length;
                Count--;
            }
        }

        public void Add(long time)
        {
            if (Count == _times.Length)
            {
                var larger = new long[_times.Length * 2];
                for (var i = 0; i < Count; i++)
                {
                    larger[i] = _times[(_head + i) % _times.Length];
                }
                _times = larger;
                _head = 0;
            }
            _times[(_head + Count) % _times.Length] = time;
            Count++;
        }
    }
}
