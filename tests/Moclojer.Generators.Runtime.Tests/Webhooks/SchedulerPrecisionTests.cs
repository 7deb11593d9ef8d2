using Moclojer.Runtime.Webhooks;
using Xunit.Abstractions;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

/// <summary>
/// The scheduler's precision (W-5: never before the delay, and without rounding the delay up to a whole millisecond)
/// and the memory a webhook holds while it waits for its delay.
/// </summary>
public sealed class SchedulerPrecisionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(1.0, 0.0003)] // the handler took 0.3 ms before dispatching: due 999.7 ms after dispatch
    [InlineData(0.0025, 0.0)] // 2.5 ms: not a whole number of milliseconds
    [InlineData(0.0000001, 0.0)] // one tick
    public async Task AWebhookIsSentAtExactlyItsDueTime_NeverBefore(double sleepSeconds, double handlerSeconds)
    {
        await using var h = Harness.Create();
        var receivedAt = h.Time.GetUtcNow();
        h.Time.Advance(TimeSpan.FromSeconds(handlerSeconds));
        h.Dispatcher.Dispatch(Trigger(), "POST /orders", receivedAt, [Entry(0, "http://hooks.test/exact", sleepSeconds: sleepSeconds)]);
        var dueAt = receivedAt + TimeSpan.FromSeconds(sleepSeconds);

        // One tick before the due time: still waiting, nothing sent.
        h.Time.Advance(dueAt - h.Time.GetUtcNow() - TimeSpan.FromTicks(1));
        Assert.Equal(1, h.Dispatcher.GetStatistics().Waiting);
        Assert.Empty(h.Handler.Requests);

        // At the due time exactly (not a millisecond later), it leaves the queue and is sent.
        h.Time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(0, h.Dispatcher.GetStatistics().Waiting);
        var record = await h.WaitAsync(r => r.Outcome == WebhookOutcome.Sent);
        Assert.Equal(dueAt, record.DueAt);
        Assert.Equal(dueAt, record.SentAt);
    }

    [Fact]
    public async Task ManyDueTimes_EachIsSentAtItsOwnTime_InOrder()
    {
        await using var h = Harness.Create();
        var receivedAt = h.Time.GetUtcNow();

        // 50 requests 0.3 ms apart, each with sleep-time 1: due times that are not whole milliseconds apart.
        for (var i = 0; i < 50; i++)
        {
            if (i > 0)
            {
                h.Time.Advance(TimeSpan.FromTicks(3_000));
            }

            h.Dispatcher.Dispatch(Trigger(), "POST /orders", h.Time.GetUtcNow(), [Entry(0, "http://hooks.test/n" + i, sleepSeconds: 1)]);
        }

        for (var i = 0; i < 50; i++)
        {
            var dueAt = receivedAt + TimeSpan.FromSeconds(1) + TimeSpan.FromTicks(3_000 * i);
            h.Time.Advance(dueAt - h.Time.GetUtcNow() - TimeSpan.FromTicks(1));
            Assert.Equal(50 - i, h.Dispatcher.GetStatistics().Waiting);
            h.Time.Advance(TimeSpan.FromTicks(1));
            Assert.Equal(49 - i, h.Dispatcher.GetStatistics().Waiting);
            var record = await h.WaitForUrlAsync("/n" + i);
            Assert.Equal(dueAt, record.SentAt);
        }
    }

    /// <summary>
    /// Counts the bytes the dispatcher allocates on the calling thread while it schedules webhooks one hour away (the
    /// entries are built before measuring, as generated handlers build them). Whatever a pending webhook holds was
    /// allocated here, so this is an upper bound of its footprint: the compact store keeps the url and body as UTF-8 in
    /// one record of a shared page and shares what every request of an endpoint has in common.
    /// </summary>
    [Fact]
    public async Task APendingWebhook_HoldsLittleMemory()
    {
        await using var h = Harness.Create(captureLogs: false);
        const int count = 2_048; // a power of two: the heap's array ends full
        var entries = new WebhookEntry[count];
        for (var i = 0; i < count; i++)
        {
            // The load benchmark's pending endpoint: a templated url and body, no headers.
            var id = (100_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            entries[i] = new WebhookEntry(0, "POST", WebhookUrlKind.Absolute, "http://127.0.0.1:9300/receive?id=" + id, WebhookEntry.NoHeaders,
                Encoding.UTF8.GetBytes("{\"id\": " + id + "}"), TimeSpan.FromSeconds(3600), TimeSpan.FromSeconds(10)) { TraceContext = default };
        }

        var trigger = Trigger();
        var now = h.Time.GetUtcNow();
        var batch = new WebhookEntry[1];

        // A first round compiles the code involved; a reset empties the store (and lets its memory go).
        Schedule();
        Assert.Equal(count, h.Dispatcher.CancelPending());

        var before = GC.GetAllocatedBytesForCurrentThread();
        Schedule();
        var perEntry = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)count;
        output.WriteLine($"allocated while scheduling: {perEntry:0.0} bytes per pending webhook");
        Assert.Equal(count, h.Dispatcher.GetStatistics().Waiting);

        // The url's templated end and the body (14 bytes) in a record of about 24 bytes in a shared page, a 56-byte
        // slot and a 4-byte heap element whose array doubles as it grows (8 bytes allocated per element in all):
        // measured 86-132 (180-205 with an array per entry, 220-245 with the previous 24-byte queue element). Objects
        // per entry (the entry, its group, its array, its url string) measured 470-500. PendingMemoryTests measures
        // what is held.
        Assert.True(perEntry <= 300, $"{perEntry:0.0} bytes allocated per pending webhook");

        // Sending still works from the compact form.
        h.Time.Advance(TimeSpan.FromSeconds(3600));
        var record = await h.WaitForUrlAsync("/receive?id=100000");
        Assert.Equal(WebhookOutcome.Sent, record.Outcome);

        void Schedule()
        {
            foreach (var entry in entries)
            {
                batch[0] = entry;
                h.Dispatcher.Dispatch(trigger, "POST /pending/:id", now, batch);
            }
        }
    }
}
