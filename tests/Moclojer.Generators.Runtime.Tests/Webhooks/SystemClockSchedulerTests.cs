using System.Diagnostics;
using Moclojer.Runtime.Webhooks;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

/// <summary>
/// The scheduler on the real system clock (its own timer thread, not the clock's coarse timers): every webhook is sent
/// after its delay, never before (W-5), in due order, and a re-armed or disarmed timer behaves. The other scheduler
/// tests use a fake clock; these are the ones that must run on real time, with delays of a few hundred milliseconds.
/// </summary>
public sealed class SystemClockSchedulerTests
{
    [Fact]
    public async Task OnTheSystemClock_EachWebhookIsSentAfterItsDelay_NeverBefore()
    {
        await using var h = Harness.Create(wrapTime: _ => TimeProvider.System);

        // 60 webhooks whose delays (10-300 ms, not whole milliseconds) arrive in shuffled order.
        var delays = Enumerable.Range(1, 60).Select(i => TimeSpan.FromMilliseconds(5 * i) + TimeSpan.FromTicks(3_333)).ToArray();
        Random.Shared.Shuffle(delays);
        var started = Stopwatch.GetTimestamp();
        foreach (var delay in delays)
        {
            h.Dispatcher.Dispatch(Trigger(), "POST /orders", TimeProvider.System.GetUtcNow(),
                [Entry(0, "http://hooks.test/d" + delay.Ticks, sleepSeconds: delay.TotalSeconds)]);
        }

        var records = new List<WebhookRecord>();
        foreach (var delay in delays.Order())
        {
            var record = await h.WaitForUrlAsync("/d" + delay.Ticks);
            Assert.Equal(WebhookOutcome.Sent, record.Outcome);
            Assert.True(record.SentAt >= record.DueAt, $"sent {record.SentAt:O}, due {record.DueAt:O}");
            records.Add(record);
        }

        // The last one waited at least its delay of real time (the stopwatch, not the records, says so).
        Assert.True(Stopwatch.GetElapsedTime(started) >= delays.Max());
        Assert.Equal(delays.Length, records.Select(r => r.Url).Distinct().Count());
    }

    [Fact]
    public async Task OnTheSystemClock_AWebhookScheduledEarlierThanTheArmedOne_IsNotHeldBack()
    {
        await using var h = Harness.Create(wrapTime: _ => TimeProvider.System);

        // The timer is first armed for a webhook an hour away, then for one 50 ms away: the second must not wait.
        h.Dispatcher.Dispatch(Trigger(), "POST /orders", TimeProvider.System.GetUtcNow(), [Entry(0, "http://hooks.test/later", sleepSeconds: 3600)]);
        var started = Stopwatch.GetTimestamp();
        h.Dispatcher.Dispatch(Trigger(), "POST /orders", TimeProvider.System.GetUtcNow(), [Entry(0, "http://hooks.test/soon", sleepSeconds: 0.05)]);

        var record = await h.WaitForUrlAsync("/soon");
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(50));
        Assert.True(record.SentAt >= record.DueAt);
        Assert.Equal(1, h.Dispatcher.GetStatistics().Waiting);

        // A reset disarms it: nothing is left to send.
        Assert.Equal(1, h.Dispatcher.CancelPending());
        Assert.Equal(0, h.Dispatcher.GetStatistics().Waiting);
    }
}
