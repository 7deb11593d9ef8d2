using System.Diagnostics;
using Moclojer.Runtime.Webhooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

/// <summary>
/// The scheduler's timer on the system clock (<see cref="SystemClockTimer"/>), on real time: it never fires before the
/// time it was armed for, not even for delays under a millisecond (the system's own timers do, which made the scheduler
/// re-arm for zero again and again), fires once per arming, and honours re-arming, disarming and disposal.
/// </summary>
public sealed class SystemClockTimerTests
{
    [Fact]
    public async Task Armed_for_delays_under_and_over_a_millisecond_it_never_fires_early_and_fires_once()
    {
        var fired = 0;
        var signal = new SemaphoreSlim(0);
        long firedAt = 0;
        using var timer = new SystemClockTimer(() =>
        {
            Volatile.Write(ref firedAt, Stopwatch.GetTimestamp());
            Interlocked.Increment(ref fired);
            signal.Release();
        }, "test timer");

        foreach (var delay in new[] { 0.3, 0.7, 1.4, 2.5, 0.05, 5.0, 0.9, 3.3 }.Select(TimeSpan.FromMilliseconds))
        {
            var armedAt = Stopwatch.GetTimestamp();
            Assert.True(timer.Change(delay, Timeout.InfiniteTimeSpan));
            Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(10)), $"no callback for {delay.TotalMilliseconds} ms");
            var elapsed = Stopwatch.GetElapsedTime(armedAt, Volatile.Read(ref firedAt));
            Assert.True(elapsed >= delay, $"armed for {delay.TotalMilliseconds} ms, fired after {elapsed.TotalMilliseconds} ms");
        }

        // One callback per arming: nothing more arrives.
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(8, fired);
    }

    [Fact]
    public async Task Rearming_sooner_wins_and_disarming_or_disposing_stops_it()
    {
        var signal = new SemaphoreSlim(0);
        var timer = new SystemClockTimer(() => signal.Release(), "test timer");

        // Armed an hour away, then 20 ms away: the second arming decides.
        var armedAt = Stopwatch.GetTimestamp();
        timer.Change(TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);
        timer.Change(TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(Stopwatch.GetElapsedTime(armedAt) >= TimeSpan.FromMilliseconds(20));

        // Disarmed before its time: no callback.
        timer.Change(TimeSpan.FromMilliseconds(30), Timeout.InfiniteTimeSpan);
        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(150)));

        // Disposed while armed: no callback, and it cannot be armed again.
        timer.Change(TimeSpan.FromMilliseconds(30), Timeout.InfiniteTimeSpan);
        timer.Dispose();
        Assert.False(timer.Change(TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan));
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(150)));

        // Only one-shot timers: a period is refused.
        using var periodic = new SystemClockTimer(() => { }, "test timer");
        Assert.Throws<ArgumentOutOfRangeException>(() => periodic.Change(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
    }
}
