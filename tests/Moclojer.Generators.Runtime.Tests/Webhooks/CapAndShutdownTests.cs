using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Moclojer.Runtime.Webhooks;
using Xunit.Abstractions;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

public sealed class CapAndShutdownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PastMaxPending_NewEntriesAreDropped_CountedLoggedAndJournaled()
    {
        await using var h = Harness.Create(o => o.MaxPending = 3);
        h.Dispatch(Entry(0, "http://hooks.test/1", sleepSeconds: 60), Entry(1, "http://hooks.test/2", sleepSeconds: 60));
        h.Dispatch(Entry(0, "http://hooks.test/3", sleepSeconds: 60), Entry(1, "http://hooks.test/4", sleepSeconds: 60));
        h.Dispatch(Entry(0, "http://hooks.test/5", sleepSeconds: 0));

        var stats = h.Dispatcher.GetStatistics();
        Assert.Equal(3, stats.Pending);
        Assert.Equal(3, stats.Scheduled);
        Assert.Equal(2, stats.Dropped);

        var dropped = h.Journal.Snapshot().Where(r => r.Outcome == WebhookOutcome.Dropped).ToList();
        Assert.Equal(["http://hooks.test/4", "http://hooks.test/5"], dropped.Select(r => r.Url));
        Assert.All(dropped, r => Assert.Contains("MaxPending", r.Error));
        var logs = h.Logs.Named("WebhookDropped");
        Assert.Equal(2, logs.Count);
        Assert.All(logs, l => Assert.Equal(LogLevel.Warning, l.Level));
        Assert.Empty(h.Handler.Requests);

        // Once the pending ones have an outcome there is room again.
        h.Time.Advance(TimeSpan.FromSeconds(60));
        await h.WaitAsync(_ => h.Journal.Snapshot().Count(r => r.Outcome == WebhookOutcome.Sent) == 3);
        h.Dispatch(Entry(0, "http://hooks.test/6", sleepSeconds: 0));
        Assert.Equal(WebhookOutcome.Sent, (await h.WaitForUrlAsync("/6")).Outcome);
    }

    [Fact]
    public async Task OneHundredThousandPendingWebhooks_AreCheapToHold()
    {
        await using var h = Harness.Create(captureLogs: false);
        const int count = 100_000;
        var entries = new WebhookEntry[count];
        for (var i = 0; i < count; i++)
        {
            entries[i] = Entry(0, "http://hooks.test/bulk?n=" + i, sleepSeconds: 60 + (i % 600));
        }

        var trigger = Trigger();
        var now = h.Time.GetUtcNow();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            h.Dispatcher.Dispatch(trigger, "POST /bulk", now, [entries[i]]);
        }

        clock.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var stats = h.Dispatcher.GetStatistics();
        Assert.Equal(count, stats.Pending);
        Assert.Equal(count, stats.Waiting);
        Assert.Equal(0, stats.Dropped);
        output.WriteLine($"{count} dispatches in {clock.ElapsedMilliseconds} ms; scheduler overhead ≈ {(after - before) / (double)count:0} bytes per pending webhook");

        // Loose bound (the entries themselves were allocated before measuring): well under 1 KB each.
        Assert.True(after - before < count * 1024L, $"{after - before} bytes held for {count} pending webhooks");

        // The next webhook at or past the cap is dropped, not queued.
        h.Dispatch(Entry(0, "http://hooks.test/over", sleepSeconds: 1));
        Assert.Equal(1, h.Dispatcher.GetStatistics().Dropped);
        GC.KeepAlive(entries);
    }

    [Fact]
    public async Task Shutdown_SendsWhatFallsDueWithinTheGracePeriod_AndAbandonsTheRest()
    {
        await using var h = Harness.Create(o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(10));
        h.Dispatch(Entry(0, "http://hooks.test/in-1s", sleepSeconds: 1));
        h.Dispatch(Entry(0, "http://hooks.test/in-5s", sleepSeconds: 5));
        h.Dispatch(Entry(0, "http://hooks.test/in-100s", sleepSeconds: 100));

        var stopping = h.Dispatcher.StopAsync(CancellationToken.None);

        // Due after the grace period: recorded at once as not sent.
        var late = Assert.Single(h.Journal.Snapshot());
        Assert.Equal(WebhookOutcome.Abandoned, late.Outcome);
        Assert.EndsWith("/in-100s", late.Url);
        Assert.Contains("shut down before it fell due", late.Error);
        Assert.False(stopping.IsCompleted);

        // A request arriving during shutdown may still schedule webhooks that fall due within the grace period.
        h.Dispatch(Entry(0, "http://hooks.test/during-stop", sleepSeconds: 2), Entry(1, "http://hooks.test/too-late", sleepSeconds: 20));
        Assert.Equal(WebhookOutcome.Abandoned, (await h.WaitForUrlAsync("/too-late")).Outcome);

        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(WebhookOutcome.Sent, (await h.WaitForUrlAsync("/in-1s")).Outcome);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(WebhookOutcome.Sent, (await h.WaitForUrlAsync("/during-stop")).Outcome);
        h.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(WebhookOutcome.Sent, (await h.WaitForUrlAsync("/in-5s")).Outcome);

        await stopping.WaitAsync(Wait);
        var summary = Assert.Single(h.Logs.Named("WebhookShutdownSummaryWithLosses"));
        Assert.Equal(LogLevel.Warning, summary.Level);
        Assert.Contains("3 sent and 0 failed; 2 not sent", summary.Message);
        Assert.Single(h.Logs.Named("WebhookShutdownStarted"));

        // After shutdown nothing is scheduled any more.
        h.Dispatch(Entry(0, "http://hooks.test/after-stop", sleepSeconds: 0));
        var after = await h.WaitForUrlAsync("/after-stop");
        Assert.Equal(WebhookOutcome.Abandoned, after.Outcome);
        Assert.Equal(0, h.Dispatcher.PendingCount);
        Assert.Equal(3, h.Handler.Requests.Count);
    }

    [Fact]
    public async Task Shutdown_WhenTheHostTokenFires_WhatIsLeftIsAbandoned()
    {
        await using var h = Harness.Create(o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(30));
        h.Dispatch(Entry(0, "http://hooks.test/in-5s", sleepSeconds: 5), Entry(1, "http://hooks.test/in-5s-second", sleepSeconds: 5));
        using var hostTimeout = new CancellationTokenSource();

        var stopping = h.Dispatcher.StopAsync(hostTimeout.Token);
        Assert.False(stopping.IsCompleted);
        await hostTimeout.CancelAsync();
        await stopping.WaitAsync(Wait);

        var records = h.Journal.Snapshot();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(WebhookOutcome.Abandoned, r.Outcome));
        Assert.All(records, r => Assert.Contains("grace period ran out", r.Error));
        Assert.Equal(0, h.Dispatcher.PendingCount);

        h.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(h.Handler.Requests);
    }

    [Fact]
    public async Task Shutdown_CancelsARequestStillInFlightWhenTheGracePeriodEnds()
    {
        await using var h = Harness.Create(o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(2));
        h.Dispatch(Entry(0, "http://hooks.test/stall/long", sleepSeconds: 0), Entry(1, "http://hooks.test/next", sleepSeconds: 0));
        await h.Handler.NextAsync();

        var stopping = h.Dispatcher.StopAsync(CancellationToken.None);
        h.Time.Advance(TimeSpan.FromSeconds(2));
        await stopping.WaitAsync(Wait);

        var records = h.Journal.Snapshot();
        Assert.Equal([0, 1], records.Select(r => r.Index));
        Assert.All(records, r => Assert.Equal(WebhookOutcome.Abandoned, r.Outcome));
        await h.Handler.WhenCancelledAsync("/stall/long"); // the request in flight is cancelled
        Assert.Single(h.Handler.Requests);
    }

    [Fact]
    public async Task Shutdown_WithNothingPending_ReturnsAtOnce()
    {
        await using var h = Harness.Create();
        await h.Dispatcher.StopAsync(CancellationToken.None).WaitAsync(Wait);
        Assert.Contains("0 sent and 0 failed; 0 not sent", Assert.Single(h.Logs.Named("WebhookShutdownSummary")).Message);
    }

    [Fact]
    public async Task TheHostedService_StopsTheDispatcher()
    {
        await using var h = Harness.Create(o => o.ShutdownGracePeriod = TimeSpan.Zero);
        h.Dispatch(Entry(0, "http://hooks.test/later", sleepSeconds: 60));
        foreach (var service in h.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>())
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.Equal(WebhookOutcome.Abandoned, Assert.Single(h.Journal.Snapshot()).Outcome);
    }
}
