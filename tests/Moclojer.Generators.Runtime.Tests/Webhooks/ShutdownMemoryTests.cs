using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moclojer.Runtime.Webhooks;
using Xunit.Abstractions;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

/// <summary>
/// Shutdown and a reset with many webhooks waiting: they work through them a batch at a time, so memory does not grow
/// with the number pending while they do (a million pending webhooks turned into objects at once took the load
/// benchmark's service from about 465 MiB to over 900 MiB during a normal stop).
/// </summary>
[Collection(nameof(HeapMeasurement))]
public sealed class ShutdownMemoryTests(ITestOutputHelper output)
{
    private const int Count = 100_000;

    /// <summary>Room for the journal's 1,000 records (each with its 300-character body) and a batch or two: far below the ~30 MB of 50,000 webhooks as objects.</summary>
    private const long Slack = 4 * 1024 * 1024;

    /// <summary>A webhook whose url and body are its own (nothing shared with the others but the start): about 400 bytes stored, several times that as objects.</summary>
    private static WebhookEntry Bulk(int i, double sleepSeconds)
    {
        var id = i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        return Entry(0, "http://hooks.test/bulk/" + id + "/" + new string((char)('a' + i % 26), 60), sleepSeconds,
            body: "{\"id\": \"" + id + "\", \"pad\": \"" + new string('x', 280) + "\"}");
    }

    [Fact]
    public async Task Shutdown_RecordsWaitingWebhooksABatchAtATime_InBoundedMemory_WithEveryRecordCountAndMetric()
    {
        var logs = new CountingLoggerProvider();
        await using var h = Harness.Create(
            o =>
            {
                o.ShutdownGracePeriod = TimeSpan.FromSeconds(10);
                o.MaxPending = 2 * Count;
                o.MaxPendingBytes = long.MaxValue;
            },
            captureLogs: false,
            more: s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));

        using var meter = new MeterListener();
        var scope = h.Services.GetRequiredService<IMeterFactory>();
        long abandonedMetric = 0;
        meter.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Name == "moclojer.webhook.abandoned")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meter.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref abandonedMetric, value));
        meter.Start();

        // Half due after the grace period (abandoned as shutdown starts), half within it (abandoned when the host's
        // token fires before they fall due). Nothing here keeps an entry alive: what is held is the dispatcher's.
        var trigger = Trigger();
        var now = h.Time.GetUtcNow();
        for (var i = 0; i < Count; i++)
        {
            h.Dispatcher.Dispatch(trigger, "POST /bulk", now, [Bulk(i, i % 2 == 0 ? 3600 : 5)]);
        }

        Assert.Equal(Count, h.Dispatcher.GetStatistics().Waiting);
        var held = GC.GetTotalMemory(forceFullCollection: true);

        var taken = 0L;
        var largestBatch = 0;
        var samples = new List<long>();
        h.Dispatcher.BulkBatchTaken = entries =>
        {
            largestBatch = Math.Max(largestBatch, entries);
            var before = taken;
            taken += entries;

            // In the middle of each half, with a batch in hand: what is held then, after a full collection.
            if ((before < Count / 4 && taken >= Count / 4) || (before < 3 * Count / 4 && taken >= 3 * Count / 4))
            {
                samples.Add(GC.GetTotalMemory(forceFullCollection: true));
            }
        };

        using var hostTimeout = new CancellationTokenSource();
        var stopping = h.Dispatcher.StopAsync(hostTimeout.Token);
        Assert.Equal(Count / 2, h.Dispatcher.PendingCount); // the late half is recorded before StopAsync yields
        await hostTimeout.CancelAsync();
        await stopping.WaitAsync(Wait);

        output.WriteLine($"held with {Count} waiting: {held / 1048576.0:0.0} MiB; during shutdown: {string.Join(", ", samples.Select(s => $"{(s - held) / 1048576.0:+0.0;-0.0} MiB"))}; largest batch {largestBatch}");
        Assert.Equal(Count, taken);
        Assert.Equal(2, samples.Count);
        Assert.InRange(largestBatch, 1, 256);
        Assert.All(samples, s => Assert.True(s < held + Slack, $"{(s - held) / 1048576.0:0.0} MiB more than before shutdown"));

        // Every webhook is recorded as before: counted, in the metric, journaled (the journal keeps its last 1,000).
        var stats = h.Dispatcher.GetStatistics();
        Assert.Equal(0, stats.Pending);
        Assert.Equal(0, stats.Waiting);
        Assert.Equal(Count, stats.Abandoned);
        Assert.Equal(0, stats.Sent);
        Assert.Equal(Count, Interlocked.Read(ref abandonedMetric));
        var records = h.Journal.Snapshot();
        Assert.Equal(h.Journal.Capacity, records.Count);
        Assert.All(records, r => Assert.Equal(WebhookOutcome.Abandoned, r.Outcome));
        Assert.All(records, r => Assert.Contains("grace period ran out", r.Error));
        Assert.All(records, r => Assert.Equal(now.AddSeconds(5), r.DueAt));
        Assert.All(records, r => Assert.Equal(now, r.ScheduledAt));
        Assert.Empty(h.Handler.Requests);

        // The first 1,000 are logged one by one, the rest in one line; the summary counts them all.
        Assert.Equal(WebhookDispatcher.MaxAbandonedLinesAtShutdown, logs.Count("WebhookAbandoned"));
        Assert.Contains($"{Count - WebhookDispatcher.MaxAbandonedLinesAtShutdown} more webhook(s) not sent", Assert.Single(logs.Messages("WebhookAbandonedNotLogged")));
        Assert.Contains($"{Count} webhook(s) pending", Assert.Single(logs.Messages("WebhookShutdownStarted")));
        Assert.Contains($"{Count / 2} due later are not sent", Assert.Single(logs.Messages("WebhookShutdownStarted")));
        Assert.Contains($"0 sent and 0 failed; {Count} not sent", Assert.Single(logs.Messages("WebhookShutdownSummaryWithLosses")));
    }

    [Fact]
    public async Task Reset_ReleasesWaitingWebhooksABatchAtATime_InBoundedMemory_AndKeepsWhatIsScheduledMeanwhile()
    {
        await using var h = Harness.Create(o =>
        {
            o.MaxPending = 2 * Count;
            o.MaxPendingBytes = long.MaxValue;
        }, captureLogs: false);
        var trigger = Trigger();
        var now = h.Time.GetUtcNow();
        for (var i = 0; i < Count; i++)
        {
            h.Dispatcher.Dispatch(trigger, "POST /bulk", now, [Bulk(i, 60 + i % 600)]);
        }

        var held = GC.GetTotalMemory(forceFullCollection: true);
        var taken = 0L;
        var largestBatch = 0;
        long? middle = null;
        var scheduledMeanwhile = false;
        h.Dispatcher.BulkBatchTaken = entries =>
        {
            largestBatch = Math.Max(largestBatch, entries);
            var before = taken;
            taken += entries;
            if (before < Count / 2 && taken >= Count / 2)
            {
                middle = GC.GetTotalMemory(forceFullCollection: true);
            }

            if (!scheduledMeanwhile)
            {
                // A request served while the reset works: its webhook is not the reset's to cancel.
                scheduledMeanwhile = true;
                h.Dispatch(Entry(0, "http://hooks.test/after-reset", sleepSeconds: 1));
            }
        };

        Assert.Equal(Count, h.Dispatcher.CancelPending());
        h.Dispatcher.BulkBatchTaken = null;

        output.WriteLine($"held with {Count} waiting: {held / 1048576.0:0.0} MiB; in the middle of the reset: {(middle - held) / 1048576.0:+0.0;-0.0} MiB; largest batch {largestBatch}");
        Assert.Equal(Count, taken);
        Assert.InRange(largestBatch, 1, 256);
        Assert.NotNull(middle);
        Assert.True(middle < held + Slack, $"{(middle - held) / 1048576.0:0.0} MiB more than before the reset");

        var stats = h.Dispatcher.GetStatistics();
        Assert.Equal(1, stats.Pending);
        Assert.Equal(1, stats.Waiting);
        Assert.Empty(h.Journal.Snapshot());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(WebhookOutcome.Sent, (await h.WaitForUrlAsync("/after-reset")).Outcome);
        Assert.Single(h.Handler.Requests);
    }

    [Fact]
    public async Task Shutdown_RecordsTheWebhooksDueAfterTheGracePeriodInDueOrder_AndSendsTheOthers()
    {
        await using var h = Harness.Create(o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(10));
        h.Dispatch(Entry(0, "http://hooks.test/300s", sleepSeconds: 300), Entry(1, "http://hooks.test/300s-second", sleepSeconds: 300));
        h.Dispatch(Entry(0, "http://hooks.test/in-3s", sleepSeconds: 3));
        h.Dispatch(Entry(0, "http://hooks.test/100s", sleepSeconds: 100));
        h.Dispatch(Entry(0, "http://hooks.test/200s-a", sleepSeconds: 200));
        h.Dispatch(Entry(0, "http://hooks.test/in-1s", sleepSeconds: 1));
        h.Dispatch(Entry(0, "http://hooks.test/200s-b", sleepSeconds: 200));

        var stopping = h.Dispatcher.StopAsync(CancellationToken.None);
        Assert.Equal(
            ["/100s", "/200s-a", "/200s-b", "/300s", "/300s-second"],
            h.Journal.Snapshot().Select(r => new Uri(r.Url).AbsolutePath));
        Assert.All(h.Journal.Snapshot(), r => Assert.Equal(WebhookOutcome.Abandoned, r.Outcome));
        Assert.Equal(5, h.Logs.Named("WebhookAbandoned").Count);
        Assert.Empty(h.Logs.Named("WebhookAbandonedNotLogged"));

        // The two within the grace period are still sent, in their order.
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(WebhookOutcome.Sent, (await h.WaitForUrlAsync("/in-1s")).Outcome);
        h.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(WebhookOutcome.Sent, (await h.WaitForUrlAsync("/in-3s")).Outcome);
        await stopping.WaitAsync(Wait);
        Assert.Equal(["/in-1s", "/in-3s"], h.Handler.Requests.Select(r => r.Uri.AbsolutePath));
        Assert.Contains("2 sent and 0 failed; 5 not sent", Assert.Single(h.Logs.Named("WebhookShutdownSummaryWithLosses")).Message);
    }

    [Fact]
    public async Task Shutdown_LogsTheFirstThousandAbandonedWebhooksOneByOne_AndTheRestInOneLine()
    {
        await using var h = Harness.Create(o => o.ShutdownGracePeriod = TimeSpan.Zero);
        var limit = WebhookDispatcher.MaxAbandonedLinesAtShutdown;
        for (var i = 0; i < limit + 5; i++)
        {
            h.Dispatch(Entry(0, "http://hooks.test/late/" + i, sleepSeconds: 60));
        }

        await h.Dispatcher.StopAsync(CancellationToken.None).WaitAsync(Wait);

        var lines = h.Logs.Named("WebhookAbandoned");
        Assert.Equal(limit, lines.Count);
        Assert.Contains("/late/0 not sent: the host shut down before it fell due", lines[0].Message);
        var rest = Assert.Single(h.Logs.Named("WebhookAbandonedNotLogged"));
        Assert.Equal(LogLevel.Information, rest.Level);
        Assert.Contains("5 more webhook(s) not sent were not logged one by one (only the first 1000 were)", rest.Message);
        Assert.Contains($"{limit + 5} not sent", Assert.Single(h.Logs.Named("WebhookShutdownSummaryWithLosses")).Message);
        Assert.Equal(limit + 5, h.Dispatcher.GetStatistics().Abandoned);
    }

    /// <summary>Counts log lines by event name and keeps the messages of all but the per-webhook ones.</summary>
    private sealed class CountingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentDictionary<string, int> _counts = new();
        private readonly ConcurrentQueue<(string Name, string Message)> _messages = new();

        public int Count(string eventName) => _counts.GetValueOrDefault(eventName);

        public IReadOnlyList<string> Messages(string eventName) => _messages.Where(m => m.Name == eventName).Select(m => m.Message).ToArray();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CountingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var name = eventId.Name ?? string.Empty;
                owner._counts.AddOrUpdate(name, 1, static (_, n) => n + 1);
                if (name is not ("WebhookAbandoned" or "WebhookScheduled"))
                {
                    owner._messages.Enqueue((name, formatter(state, exception)));
                }
            }
        }
    }
}
