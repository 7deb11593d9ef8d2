using Moclojer.Runtime.Webhooks;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

public sealed class SchedulingTests
{
    [Fact]
    public async Task SleepTimeSixtySeconds_IsNotSentBeforeSixtySecondsHavePassed()
    {
        await using var h = Harness.Create();
        var received = h.Time.GetUtcNow();

        h.Dispatch(Entry(0, "http://hooks.test/orders", sleepSeconds: 60, body: "{\"id\":1}"));
        Assert.Equal(1, h.Dispatcher.GetStatistics().Waiting);

        h.Time.Advance(TimeSpan.FromSeconds(59.9));
        Assert.Equal(1, h.Dispatcher.GetStatistics().Waiting);
        Assert.Equal(1, h.Dispatcher.PendingCount);
        Assert.Empty(h.Handler.Requests);
        Assert.Empty(h.Journal.Snapshot());

        h.Time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(0, h.Dispatcher.GetStatistics().Waiting);
        var record = await h.WaitAsync(r => r.Outcome == WebhookOutcome.Sent);

        Assert.Equal(received.AddSeconds(60), record.DueAt);
        Assert.Equal(received, record.ScheduledAt);
        Assert.True(record.SentAt >= record.DueAt);
        Assert.Equal(200, record.StatusCode);
        Assert.Equal("http://hooks.test/orders", record.Url);
        Assert.Single(h.Handler.Requests);
        Assert.Equal(0, h.Dispatcher.PendingCount);
    }

    [Fact]
    public async Task TheDelayCountsFromWhenTheRequestWasReceived()
    {
        await using var h = Harness.Create();
        var receivedAt = h.Time.GetUtcNow();
        h.Time.Advance(TimeSpan.FromSeconds(1.5)); // the handler took a while before dispatching

        h.Dispatcher.Dispatch(Trigger(), "POST /orders", receivedAt, [Entry(0, "http://hooks.test/a", sleepSeconds: 2)]);
        h.Time.Advance(TimeSpan.FromSeconds(0.4));
        Assert.Equal(1, h.Dispatcher.GetStatistics().Waiting);

        h.Time.Advance(TimeSpan.FromSeconds(0.1));
        var record = await h.WaitAsync(r => r.Outcome == WebhookOutcome.Sent);
        Assert.Equal(receivedAt.AddSeconds(2), record.DueAt);
    }

    [Fact]
    public async Task SleepTimeZero_IsSentWithoutTheClockMoving()
    {
        await using var h = Harness.Create();
        h.Dispatch(Entry(0, "http://hooks.test/now", sleepSeconds: 0));

        var record = await h.WaitAsync(r => r.Outcome == WebhookOutcome.Sent);
        Assert.Equal(h.Time.GetUtcNow(), record.SentAt);
    }

    [Fact]
    public async Task EntriesWithTheSameSleepTime_GoOutOneAfterAnother_InDeclarationOrder()
    {
        await using var h = Harness.Create();
        h.Dispatch(
            Entry(0, "http://hooks.test/stall/first", sleepSeconds: 1),
            Entry(1, "http://hooks.test/second", sleepSeconds: 1),
            Entry(2, "http://hooks.test/third", sleepSeconds: 1));

        h.Time.Advance(TimeSpan.FromSeconds(1));
        var first = await h.Handler.NextAsync();
        Assert.Equal("/stall/first", first.Uri.AbsolutePath);

        // The second entry cannot start while the first has no outcome.
        Assert.Single(h.Handler.Requests);
        h.Handler.Release("/stall/first");

        Assert.Equal("/second", (await h.Handler.NextAsync()).Uri.AbsolutePath);
        Assert.Equal("/third", (await h.Handler.NextAsync()).Uri.AbsolutePath);
        await h.WaitForUrlAsync("/third");

        var records = h.Journal.Snapshot();
        Assert.Equal([0, 1, 2], records.Select(r => r.Index));
        Assert.All(records, r => Assert.Equal(WebhookOutcome.Sent, r.Outcome));
    }

    [Fact]
    public async Task GroupsAndRequests_NeverWaitForEachOther()
    {
        await using var h = Harness.Create();
        h.Dispatch(
            Entry(0, "http://hooks.test/stall/a", sleepSeconds: 1),
            Entry(1, "http://hooks.test/b", sleepSeconds: 1),
            Entry(2, "http://hooks.test/c", sleepSeconds: 2));
        h.Dispatch(Entry(0, "http://hooks.test/other-request", sleepSeconds: 1));

        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.WaitForUrlAsync("/other-request"); // another request's group, due at the same time, is not blocked

        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.WaitForUrlAsync("/c"); // a later group of the same request is not blocked either

        Assert.DoesNotContain(h.Handler.Requests, r => r.Uri.AbsolutePath == "/b");
        h.Handler.Release("/stall/a");
        await h.WaitForUrlAsync("/b");

        var order = h.Handler.Requests.Select(r => r.Uri.AbsolutePath).ToList();
        Assert.True(order.IndexOf("/stall/a") < order.IndexOf("/b"));
        Assert.True(order.IndexOf("/c") < order.IndexOf("/b"));
    }

    [Fact]
    public async Task AFailure_DoesNotStopTheEntriesAfterIt()
    {
        await using var h = Harness.Create();
        h.Dispatch(
            Entry(0, "http://hooks.test/down", sleepSeconds: 0),
            Entry(1, "http://hooks.test/fail", sleepSeconds: 0),
            Entry(2, "http://hooks.test/ok", sleepSeconds: 0));

        await h.WaitForUrlAsync("/ok");
        var records = h.Journal.Snapshot();
        Assert.Equal(WebhookOutcome.Failed, records[0].Outcome);
        Assert.Contains("Connection refused", records[0].Error);
        Assert.Equal(WebhookOutcome.Sent, records[1].Outcome);
        Assert.Equal(500, records[1].StatusCode);
        Assert.Equal(WebhookOutcome.Sent, records[2].Outcome);

        // Outcomes are logged once each; failures and non-2xx at warning level (W-19).
        Assert.Equal(LogLevel.Warning, h.Logs.Named("WebhookFailed").Single().Level);
        Assert.Equal(LogLevel.Warning, h.Logs.Named("WebhookSentNonSuccess").Single().Level);
        Assert.Equal(LogLevel.Information, h.Logs.Named("WebhookSent").Single().Level);
        Assert.Contains("POST /orders [0]", h.Logs.Named("WebhookFailed").Single().Message);
    }

    [Fact]
    public async Task ATimedOutRequest_IsAbandonedAndRecordedFailed_AndTheNextEntryGoesOut()
    {
        await using var h = Harness.Create();
        h.Dispatch(
            Entry(0, "http://hooks.test/stall/export", sleepSeconds: 0, timeoutSeconds: 1),
            Entry(1, "http://hooks.test/after", sleepSeconds: 0));

        await h.Handler.NextAsync();
        h.Time.Advance(TimeSpan.FromSeconds(0.999));
        Assert.Single(h.Handler.Requests);

        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        var failed = await h.WaitAsync(r => r.Index == 0);
        Assert.Equal(WebhookOutcome.Failed, failed.Outcome);
        Assert.Contains("timeout of 1 s", failed.Error);
        Assert.Equal(TimeSpan.FromSeconds(1), failed.Duration);

        var after = await h.WaitAsync(r => r.Index == 1);
        Assert.Equal(WebhookOutcome.Sent, after.Outcome);
        Assert.True(h.Handler.WasCancelled("/stall/export"));
    }

    [Fact]
    public async Task ManyPendingWebhooks_UseOneTimer()
    {
        CountingTimeProvider? clock = null;
        await using var h = Harness.Create(wrapTime: fake => clock = new CountingTimeProvider(fake));
        for (var i = 0; i < 1000; i++)
        {
            h.Dispatch(Entry(0, $"http://hooks.test/n{i}", sleepSeconds: 30 + (i % 7)));
        }

        // The scheduler arms one timer for the earliest due time; the entry timeouts create theirs only while sending.
        Assert.Equal(1000, h.Dispatcher.GetStatistics().Waiting);
        Assert.Equal(1, clock!.TimersCreated);

        h.Time.Advance(TimeSpan.FromSeconds(36));
        await h.WaitAsync(_ => h.Journal.Snapshot().Count == 1000);
        Assert.All(h.Journal.Snapshot(), r => Assert.Equal(WebhookOutcome.Sent, r.Outcome));
    }
}

/// <summary>Counts the timers the dispatcher asks its clock for.</summary>
internal sealed class CountingTimeProvider(TimeProvider inner) : TimeProvider
{
    private int _timers;

    public int TimersCreated => Volatile.Read(ref _timers);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timers);
        return inner.CreateTimer(callback, state, dueTime, period);
    }
}
