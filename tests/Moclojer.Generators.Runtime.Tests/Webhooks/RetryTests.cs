using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Moclojer.Runtime.Webhooks;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

/// <summary>
/// A receiver that fails its first requests as told (a status, optionally with <c>Retry-After</c>, or a connection
/// error), then answers 200. It records each request with the fake clock's time.
/// </summary>
internal sealed class FlakyReceiver(TimeProvider time, params Func<HttpResponseMessage?>[] failures) : HttpMessageHandler
{
    private readonly Channel<(CapturedRequest Request, DateTimeOffset At)> _arrivals = Channel.CreateUnbounded<(CapturedRequest, DateTimeOffset)>();
    private readonly ConcurrentQueue<(CapturedRequest Request, DateTimeOffset At)> _all = new();
    private int _count;

    public IReadOnlyList<(CapturedRequest Request, DateTimeOffset At)> Requests => _all.ToArray();

    public Func<HttpResponseMessage?>? Always { get; init; }

    public static Func<HttpResponseMessage?> Status(int status, string? retryAfter = null) => () =>
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent("{\"error\":true}") };
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return response;
    };

    public static Func<HttpResponseMessage?> ConnectionError => () => null;

    /// <summary>Never answers: the request waits until the dispatcher's timeout cancels it.</summary>
    public static readonly Func<HttpResponseMessage?> Stall = () => null;

    public async Task<(CapturedRequest Request, DateTimeOffset At)> NextAsync()
    {
        using var cts = new CancellationTokenSource(Wait);
        return await _arrivals.Reader.ReadAsync(cts.Token);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var captured = new CapturedRequest(request.Method.Method, request.RequestUri!,
            request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase),
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), body, request.Content is not null);
        var n = Interlocked.Increment(ref _count);
        _all.Enqueue((captured, time.GetUtcNow()));
        _arrivals.Writer.TryWrite((captured, time.GetUtcNow()));
        var failure = Always ?? (n <= failures.Length ? failures[n - 1] : null);
        if (ReferenceEquals(failure, Stall))
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (failure is null)
        {
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        }

        return failure() ?? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (flaky receiver)");
    }
}

/// <summary>W-21: opt-in retries, on a fake clock.</summary>
public sealed class RetryTests
{
    private static (Harness Harness, FlakyReceiver Receiver) Create(Func<FlakyReceiver>? receiver = null, Action<MoclojerWebhookOptions>? configure = null, params Func<HttpResponseMessage?>[] failures)
    {
        FlakyReceiver? flaky = null;
        var h = Harness.Create(configure, more: services => services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => flaky ??= receiver?.Invoke() ?? new FlakyReceiver(sp.GetRequiredService<TimeProvider>(), failures)));
        _ = h.Services.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookDispatcher.HttpClientName); // builds the handler
        return (h, flaky!);
    }

    private static WebhookEntry Retried(string url, int attempts, WebhookRetryBackoff backoff, double delay, double maxDelay, double sleep = 0) =>
        Entry(0, url, sleepSeconds: sleep, body: "{\"n\":1}") with { Retry = new WebhookRetry(attempts, backoff, TimeSpan.FromSeconds(delay), TimeSpan.FromSeconds(maxDelay)) };

    /// <summary>Waits (in real time) until the dispatcher holds <paramref name="waiting"/> webhooks for a later time.</summary>
    [Fact]
    public async Task WithoutRetry_A500IsFinal_AndSentOnce()
    {
        var (h, receiver) = Create(failures: FlakyReceiver.Status(500));
        await using var _ = h;
        h.Dispatch(Entry(0, "http://hooks.test/once"));

        var record = await h.WaitAsync(r => true);
        Assert.Equal(500, record.StatusCode);
        Assert.Null(record.DeliveryId);
        h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Single(receiver.Requests);
        Assert.Null(receiver.Requests[0].Request.Header("X-Moclojer-Delivery"));
    }

    [Fact]
    public async Task FailsThreeTimes_ThenSucceeds_OnTheExponentialSchedule_WithOneDeliveryId()
    {
        var (h, receiver) = Create(failures: [FlakyReceiver.Status(500), FlakyReceiver.Status(503), FlakyReceiver.ConnectionError]);
        await using var _ = h;
        var start = h.Time.GetUtcNow();
        h.Dispatch(Retried("http://hooks.test/pay", attempts: 5, WebhookRetryBackoff.Exponential, delay: 1, maxDelay: 3));

        // Waits: 1 s, 2 s, then 4 s capped at max-delay 3 s.
        var waits = new[] { 1.0, 2.0, 3.0 };
        await receiver.NextAsync();
        foreach (var wait in waits)
        {
            await h.WaitingAsync(1);
            h.Time.Advance(TimeSpan.FromSeconds(wait) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, h.Dispatcher.GetStatistics().Waiting); // not before its time
            h.Time.Advance(TimeSpan.FromMilliseconds(1));
            await receiver.NextAsync();
        }

        var final = await h.WaitAsync(r => r.Url == "http://hooks.test/pay");
        Assert.Equal(WebhookOutcome.Sent, final.Outcome);
        Assert.Equal(200, final.StatusCode);
        Assert.Equal(4, final.Attempt);
        Assert.True(final.IsFinal);

        var times = receiver.Requests.Select(r => (r.At - start).TotalSeconds).ToArray();
        Assert.Equal([0, 1, 3, 6], times);
        var ids = receiver.Requests.Select(r => r.Request.Header("X-Moclojer-Delivery")).Distinct().ToArray();
        Assert.Single(ids);
        Assert.StartsWith("msg_", ids[0]);

        var records = h.Journal.Snapshot();
        Assert.Equal([1, 2, 3, 4], records.Select(r => r.Attempt));
        Assert.Equal([500, 503, null, 200], records.Select(r => r.StatusCode));
        Assert.Equal(WebhookOutcome.Failed, records[2].Outcome);
        Assert.All(records, r => Assert.Equal(ids[0], r.DeliveryId));
        Assert.Equal([start.AddSeconds(1), start.AddSeconds(3), start.AddSeconds(6), null], records.Select(r => r.NextAttemptAt));
        Assert.Equal(3, h.Logs.Named("WebhookRetrying").Count);
        Assert.Equal(0, h.Dispatcher.PendingCount);
        Assert.Equal(1, h.Dispatcher.GetStatistics().Sent);
    }

    [Fact]
    public async Task GivesUp_AfterTheLastAttempt_WithThatAttemptsOutcome()
    {
        FlakyReceiver? receiver = null;
        var h = Harness.Create(more: services => services.AddHttpClient(WebhookDispatcher.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => receiver ??= new FlakyReceiver(sp.GetRequiredService<TimeProvider>()) { Always = FlakyReceiver.Status(503) }));
        await using var _ = h;
        var start = h.Time.GetUtcNow();
        h.Dispatch(Retried("http://hooks.test/busy", attempts: 3, WebhookRetryBackoff.Fixed, delay: 5, maxDelay: 60));

        for (var i = 0; i < 2; i++)
        {
            await h.WaitingAsync(1);
            h.Time.Advance(TimeSpan.FromSeconds(5));
        }

        var final = await h.WaitAsync(r => true);
        Assert.Equal(503, final.StatusCode);
        Assert.Equal(3, final.Attempt);
        h.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal([0.0, 5, 10], receiver!.Requests.Select(r => (r.At - start).TotalSeconds));
        Assert.Equal(3, h.Journal.Snapshot().Count);
        Assert.Equal(0, h.Dispatcher.PendingCount);
        Assert.Contains(h.Logs.Named("WebhookSentNonSuccess"), l => l.Message.Contains("503", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2", 2)]     // Retry-After instead of the backoff's 10 s
    [InlineData("120", 30)]  // capped at max-delay
    public async Task RetryAfter_IsHonoured_UpToMaxDelay(string retryAfter, double expectedWait)
    {
        var (h, receiver) = Create(failures: FlakyReceiver.Status(429, retryAfter));
        await using var _ = h;
        var start = h.Time.GetUtcNow();
        h.Dispatch(Retried("http://hooks.test/limited", attempts: 2, WebhookRetryBackoff.Fixed, delay: 10, maxDelay: 30));

        await receiver.NextAsync();
        await h.WaitingAsync(1);
        var attempt = h.Journal.Snapshot().Single();
        Assert.Equal(429, attempt.StatusCode);
        Assert.Equal(start.AddSeconds(expectedWait), attempt.NextAttemptAt);

        h.Time.Advance(TimeSpan.FromSeconds(expectedWait));
        var second = await receiver.NextAsync();
        Assert.Equal(expectedWait, (second.At - start).TotalSeconds);
        Assert.Equal(200, (await h.WaitAsync(r => true)).StatusCode);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(409)]
    public async Task OtherClientErrors_AreFinal(int status)
    {
        var (h, receiver) = Create(failures: FlakyReceiver.Status(status));
        await using var _ = h;
        h.Dispatch(Retried("http://hooks.test/reject", attempts: 5, WebhookRetryBackoff.Fixed, delay: 1, maxDelay: 1));

        var record = await h.WaitAsync(r => true);
        Assert.Equal(status, record.StatusCode);
        Assert.Equal(1, record.Attempt);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(receiver.Requests);
        Assert.Equal(0, h.Dispatcher.PendingCount);
    }

    [Fact]
    public async Task AnInvalidCallbackUrl_IsNotRetried()
    {
        var (h, receiver) = Create();
        await using var _ = h;
        h.Dispatch(Retried("not a url", attempts: 5, WebhookRetryBackoff.Fixed, delay: 1, maxDelay: 1) with { UrlKind = WebhookUrlKind.Callback });

        var record = await h.WaitAsync(r => true);
        Assert.Equal(WebhookOutcome.Failed, record.Outcome);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(h.Journal.Snapshot());
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task ATimeout_IsRetried()
    {
        var (h, receiver) = Create(failures: FlakyReceiver.Stall);
        await using var _ = h;
        h.Dispatch(Retried("http://hooks.test/slow", attempts: 2, WebhookRetryBackoff.Fixed, delay: 1, maxDelay: 1) with { Timeout = TimeSpan.FromSeconds(2) });

        await receiver.NextAsync();
        h.Time.Advance(TimeSpan.FromSeconds(2)); // the attempt times out (W-17)
        await h.WaitingAsync(1);
        var attempt = h.Journal.Snapshot().Single();
        Assert.Equal(WebhookOutcome.Failed, attempt.Outcome);
        Assert.Contains("timeout", attempt.Error);

        h.Time.Advance(TimeSpan.FromSeconds(1));
        var final = await h.WaitAsync(r => true);
        Assert.Equal(2, final.Attempt);
        Assert.Equal(200, final.StatusCode);
    }

    [Fact]
    public async Task APendingRetry_HoldsItsPendingSlot()
    {
        var (h, receiver) = Create(configure: o => o.MaxPending = 1, failures: FlakyReceiver.Status(500));
        await using var _ = h;
        h.Dispatch(Retried("http://hooks.test/first", attempts: 2, WebhookRetryBackoff.Fixed, delay: 60, maxDelay: 60));
        await receiver.NextAsync();
        await h.WaitingAsync(1);
        Assert.Equal(1, h.Dispatcher.PendingCount);

        h.Dispatch(Entry(0, "http://hooks.test/second"));
        Assert.Equal(WebhookOutcome.Dropped, (await h.WaitForUrlAsync("/second")).Outcome);

        h.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(200, (await h.WaitForUrlAsync("/first")).StatusCode);
        Assert.Equal(0, h.Dispatcher.PendingCount);
    }

    [Fact]
    public async Task ARetryDueAfterTheShutdownGracePeriod_IsAbandonedAndJournaled()
    {
        var (h, receiver) = Create(configure: o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(5), failures: FlakyReceiver.Status(500));
        await using var _ = h;
        h.Dispatch(Retried("http://hooks.test/late", attempts: 3, WebhookRetryBackoff.Fixed, delay: 30, maxDelay: 30));
        await receiver.NextAsync();
        await h.WaitingAsync(1);

        await h.Dispatcher.StopAsync(CancellationToken.None);

        var records = h.Journal.Snapshot();
        Assert.Equal(2, records.Count);
        Assert.Equal(500, records[0].StatusCode);
        Assert.False(records[0].IsFinal);
        Assert.Equal(WebhookOutcome.Abandoned, records[1].Outcome);
        Assert.Equal(2, records[1].Attempt);
        Assert.Equal(records[0].DeliveryId, records[1].DeliveryId);
        Assert.Equal(0, h.Dispatcher.PendingCount);
        Assert.Equal(1, h.Dispatcher.GetStatistics().Abandoned);
    }

    [Fact]
    public async Task WaitForDelivery_IgnoresAttemptsThatAreRetried()
    {
        var (h, receiver) = Create(failures: FlakyReceiver.Status(500));
        await using var _ = h;
        h.Dispatch(Retried("http://hooks.test/w", attempts: 2, WebhookRetryBackoff.Fixed, delay: 1, maxDelay: 1));
        var waiting = h.WaitAsync(r => r.Url == "http://hooks.test/w");

        await receiver.NextAsync();
        await h.WaitingAsync(1);
        Assert.False(waiting.IsCompleted);
        Assert.Single(h.Journal.Snapshot());

        h.Time.Advance(TimeSpan.FromSeconds(1));
        var record = await waiting;
        Assert.Equal(2, record.Attempt);
        Assert.Equal(200, record.StatusCode);
    }
}
