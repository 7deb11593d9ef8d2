using Moclojer.Runtime.Webhooks;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

/// <summary>A random source that returns the given samples in turn.</summary>
internal sealed class ScriptedRandom(params double[] samples) : Random
{
    private int _next;

    public override double NextDouble() => samples[_next++ % samples.Length];
}

/// <summary>W-22: <c>sleep-time: {min, max}</c> picks a uniform delay per request, journaled with the outcome.</summary>
public sealed class RandomDelayTests
{
    private static WebhookEntry Ranged(string url, double min, double max) =>
        Entry(0, url, sleepSeconds: min) with { MaxSleepTime = TimeSpan.FromSeconds(max) };

    [Fact]
    public async Task TheDelayIsPickedBetweenMinAndMax_AndJournaled()
    {
        await using var h = Harness.Create(o => o.SleepTimeRandom = new ScriptedRandom(0.5, 0.0, 1.0));
        var start = h.Time.GetUtcNow();
        h.Dispatch(Ranged("http://hooks.test/a", 1, 5)); // 3 s
        h.Dispatch(Ranged("http://hooks.test/b", 1, 5)); // 1 s
        h.Dispatch(Ranged("http://hooks.test/c", 1, 5)); // 5 s

        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), (await h.WaitForUrlAsync("/b")).SleepTime);
        h.Time.Advance(TimeSpan.FromSeconds(1.999));
        Assert.Equal(2, h.Dispatcher.GetStatistics().Waiting);
        h.Time.Advance(TimeSpan.FromMilliseconds(1));
        var a = await h.WaitForUrlAsync("/a");
        Assert.Equal(3, a.SleepTimeSeconds);
        Assert.Equal(start.AddSeconds(3), a.DueAt);
        h.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(5), (await h.WaitForUrlAsync("/c")).SleepTime);
    }

    [Fact]
    public async Task EachRequestPicksItsOwnDelay_WithinTheRange()
    {
        await using var h = Harness.Create(o => o.SleepTimeRandom = new Random(1234));
        for (var i = 0; i < 50; i++)
        {
            h.Dispatch(Ranged("http://hooks.test/r?n=" + i, 2, 4));
        }

        h.Time.Advance(TimeSpan.FromSeconds(4));
        await h.WaitAsync(_ => h.Journal.Snapshot().Count == 50);
        var delays = h.Journal.Snapshot().Select(r => r.SleepTimeSeconds).ToList();
        Assert.All(delays, d => Assert.InRange(d, 2, 4));
        Assert.True(delays.Distinct().Count() > 10, "the delays should vary: " + string.Join(", ", delays));
    }

    [Fact]
    public async Task AFixedSleepTime_IsJournaledToo()
    {
        await using var h = Harness.Create();
        h.Dispatch(Entry(0, "http://hooks.test/fixed", sleepSeconds: 2));
        h.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, (await h.WaitForUrlAsync("/fixed")).SleepTimeSeconds);
    }
}
