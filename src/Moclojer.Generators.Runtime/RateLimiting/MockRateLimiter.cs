using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

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
/// window are evicted.
/// </para>
/// <para>
/// <b>Bounds.</b> Keys come from clients, so what they can make the limiter hold is bounded: a key longer than
/// <see cref="MoclojerRateLimitOptions.MaxKeyLength"/> characters is replaced by its SHA-256
/// (<c>sha256:</c> and 64 hex digits), and an endpoint holds at most
/// <see cref="MoclojerRateLimitOptions.MaxKeysPerEndpoint"/> keys. A new key arriving while its endpoint is full
/// shares one overflow counter of that endpoint with every other such key (so those clients are limited together, to
/// <c>max-requests</c> per window between them) until expired keys make room; each such request is counted
/// (<c>moclojer.ratelimit.key_overflow</c>) and the start of an overflow is logged at warning level.
/// </para>
/// </summary>
public sealed partial class MockRateLimiter
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(30);

    /// <summary>The meter of the limiter's instruments.</summary>
    public const string MeterName = "Moclojer.RateLimits";

    private readonly ConcurrentDictionary<MockRateLimit, EndpointKeys> _endpoints = new();
    private readonly TimeProvider _time;
    private readonly int _maxKeys;
    private readonly int _maxKeyLength;
    private readonly ILogger _logger;
    private readonly Counter<long>? _overflows;
    private long _nextSweep;

    public MockRateLimiter(TimeProvider time)
        : this(time, new MoclojerRateLimitOptions(), null, null)
    {
    }

    /// <summary>A limiter with the given bounds, counting overflows on <paramref name="meterFactory"/> and logging them.</summary>
    public MockRateLimiter(TimeProvider time, MoclojerRateLimitOptions options, IMeterFactory? meterFactory, ILogger<MockRateLimiter>? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxKeysPerEndpoint, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxKeyLength, MoclojerRateLimitOptions.MinMaxKeyLength);
        _time = time;
        _maxKeys = options.MaxKeysPerEndpoint;
        _maxKeyLength = options.MaxKeyLength;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _overflows = meterFactory?.Create(new MeterOptions(MeterName)).CreateCounter<long>(
            "moclojer.ratelimit.key_overflow", "{request}", "Requests whose key found its endpoint full and shared the overflow counter.");
        _nextSweep = time.GetUtcNow().ToUnixTimeMilliseconds() + (long)SweepInterval.TotalMilliseconds;
    }

    /// <summary>The number of keys currently holding a log, over all endpoints (for tests and diagnostics).</summary>
    public int KeyCount
    {
        get
        {
            var count = 0;
            foreach (var pair in _endpoints)
            {
                count += Volatile.Read(ref pair.Value.Count);
            }
            return count;
        }
    }

    /// <summary>The number of keys <paramref name="limit"/>'s endpoint currently holds (at most <see cref="MoclojerRateLimitOptions.MaxKeysPerEndpoint"/>).</summary>
    public int KeyCountOf(MockRateLimit limit) => _endpoints.TryGetValue(limit, out var keys) ? Volatile.Read(ref keys.Count) : 0;

    /// <summary>How many requests since start had a key that found its endpoint full (counted in the overflow counter).</summary>
    public long OverflowCount => Interlocked.Read(ref _overflowCount);

    private long _overflowCount;

    /// <summary>Forgets every counter (the test host's <c>Reset()</c>): every key starts with a full allowance again.</summary>
    public void Clear()
    {
        foreach (var endpoint in _endpoints)
        {
            var keys = endpoint.Value;
            foreach (var pair in keys.Logs)
            {
                lock (pair.Value)
                {
                    if (!pair.Value.Evicted && keys.Logs.TryRemove(pair))
                    {
                        pair.Value.Evicted = true;
                        Interlocked.Decrement(ref keys.Count);
                    }
                }
            }
            lock (keys.Overflow)
            {
                keys.Overflow.Clear();
            }
        }
    }

    /// <summary>Counts the request if it is accepted (RL-3: only accepted requests count).</summary>
    public MockRateLimitDecision Acquire(MockRateLimit limit, string key)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        SweepIfDue(now);
        var keys = _endpoints.GetOrAdd(limit, static _ => new EndpointKeys());
        key = BoundedKey(key ?? string.Empty);
        while (true)
        {
            if (!keys.Logs.TryGetValue(key, out var log))
            {
                log = TryAddKey(keys, key, limit);
                if (log is null)
                {
                    continue; // another request added or evicted the key meanwhile: look again
                }
            }
            lock (log)
            {
                if (log.Evicted)
                {
                    continue; // removed by a sweep between the lookup and lock: take the fresh one
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

    /// <summary>Adds a log for a new key, or hands out the endpoint's overflow log when it is full; null to retry.</summary>
    private SlidingLog? TryAddKey(EndpointKeys keys, string key, MockRateLimit limit)
    {
        if (Interlocked.Increment(ref keys.Count) > _maxKeys)
        {
            Interlocked.Decrement(ref keys.Count);
            Interlocked.Increment(ref _overflowCount);
            _overflows?.Add(1, new KeyValuePair<string, object?>("moclojer.ratelimit.endpoint", limit.Endpoint));
            if (Interlocked.Exchange(ref keys.Overflowing, 1) == 0)
            {
                LogKeysFull(_logger, limit.Endpoint, _maxKeys);
            }
            return keys.Overflow;
        }
        var log = new SlidingLog();
        if (keys.Logs.TryAdd(key, log))
        {
            return log;
        }
        Interlocked.Decrement(ref keys.Count);
        return null;
    }

    /// <summary>A key longer than the bound becomes <c>sha256:</c> and the hex SHA-256 of its UTF-8 bytes.</summary>
    private string BoundedKey(string key)
    {
        if (key.Length <= _maxKeyLength)
        {
            return key;
        }
        var utf8 = Encoding.UTF8.GetBytes(key);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(utf8));
    }

    /// <summary>
    /// Applies the limit to a request: adds the X-RateLimit-* headers (RL-5, RL-6) and returns whether it may be
    /// served. A refused request must then be answered with <see cref="RejectAsync(MockRequest)"/>.
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

    /// <summary>RL-6 for a matched request (recorded in the journal as the response starts).</summary>
    public static Task RejectAsync(MockRequest request) =>
        MockResponses.WriteStaticAsync(request, StatusCodes.Status429TooManyRequests, MockResponses.JsonContentType, RejectedBody);

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
        foreach (var endpoint in _endpoints)
        {
            var keys = endpoint.Value;
            var window = endpoint.Key.WindowMilliseconds;
            foreach (var pair in keys.Logs)
            {
                var log = pair.Value;
                lock (log)
                {
                    log.Expire(now, window);
                    if (log.Count == 0 && !log.Evicted && keys.Logs.TryRemove(pair))
                    {
                        log.Evicted = true;
                        Interlocked.Decrement(ref keys.Count);
                    }
                }
            }
            if (Volatile.Read(ref keys.Count) < _maxKeys)
            {
                Volatile.Write(ref keys.Overflowing, 0); // room again: the next overflow is logged anew
            }
        }
    }

    /// <summary>The keys of one endpoint: at most the configured number of logs, plus the shared overflow log.</summary>
    private sealed class EndpointKeys
    {
        public readonly ConcurrentDictionary<string, SlidingLog> Logs = new(StringComparer.Ordinal);
        public readonly SlidingLog Overflow = new();
        public int Count;
        public int Overflowing;
    }

    [LoggerMessage(30, LogLevel.Warning, "The rate limit of {Endpoint} holds its maximum of {MaxKeys} keys; requests with new keys share one overflow counter until keys expire")]
    private static partial void LogKeysFull(ILogger logger, string endpoint, int maxKeys);

    /// <summary>The accepted request times of one key, oldest first, in a ring buffer.</summary>
    private sealed class SlidingLog
    {
        private long[] _times = new long[4];
        private int _head;

        public int Count { get; private set; }

        public bool Evicted { get; set; }

        public void Clear()
        {
            _head = 0;
            Count = 0;
        }

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

/// <summary>
/// Bounds of the rate limiter, read from the configuration section <c>Moclojer:RateLimits</c>
/// (<see cref="ConfigurationSectionName"/>), then from code (which wins). See <see cref="MockRateLimiter"/>.
/// </summary>
public sealed class MoclojerRateLimitOptions
{
    /// <summary>The configuration section the options are read from: <c>Moclojer:RateLimits</c>.</summary>
    public const string ConfigurationSectionName = "Moclojer:RateLimits";

    public const int DefaultMaxKeysPerEndpoint = 10_000;
    public const int DefaultMaxKeyLength = 256;

    /// <summary>The smallest <see cref="MaxKeyLength"/>: a hashed key (<c>sha256:</c> and 64 hex digits) must fit.</summary>
    public const int MinMaxKeyLength = 71;

    /// <summary>How many keys one endpoint's limit holds at most. Default 10,000; at least 1.</summary>
    public int MaxKeysPerEndpoint { get; set; } = DefaultMaxKeysPerEndpoint;

    /// <summary>Keys longer than this many characters are replaced by their SHA-256. Default 256; at least 71.</summary>
    public int MaxKeyLength { get; set; } = DefaultMaxKeyLength;
}

/// <summary>Reads <see cref="MoclojerRateLimitOptions"/> from configuration by hand (trim and AOT safe).</summary>
internal sealed class ConfigureRateLimitOptionsFromConfiguration(IConfiguration? configuration) : IConfigureOptions<MoclojerRateLimitOptions>
{
    public void Configure(MoclojerRateLimitOptions options)
    {
        var section = configuration?.GetSection(MoclojerRateLimitOptions.ConfigurationSectionName);
        if (section is null || !section.Exists())
        {
            return;
        }
        if (section.ReadInt(nameof(MoclojerRateLimitOptions.MaxKeysPerEndpoint)) is { } keys)
        {
            options.MaxKeysPerEndpoint = keys;
        }
        if (section.ReadInt(nameof(MoclojerRateLimitOptions.MaxKeyLength)) is { } length)
        {
            options.MaxKeyLength = length;
        }
    }
}

/// <summary>Rejects bounds the limiter cannot work with.</summary>
internal sealed class ValidateRateLimitOptions : IValidateOptions<MoclojerRateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, MoclojerRateLimitOptions options)
    {
        List<string>? failures = null;
        if (options.MaxKeysPerEndpoint < 1)
        {
            (failures ??= []).Add($"{nameof(options.MaxKeysPerEndpoint)} must be at least 1 (it is {options.MaxKeysPerEndpoint}).");
        }
        if (options.MaxKeyLength < MoclojerRateLimitOptions.MinMaxKeyLength)
        {
            (failures ??= []).Add($"{nameof(options.MaxKeyLength)} must be at least {MoclojerRateLimitOptions.MinMaxKeyLength} (it is {options.MaxKeyLength}).");
        }
        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
