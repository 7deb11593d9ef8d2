using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Moclojer.Runtime.Webhooks;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

public sealed class JournalTests
{
    [Fact]
    public async Task WaitForDelivery_CompletesAtOnce_ForARecordAlreadyThere()
    {
        await using var h = Harness.Create();
        h.Dispatch(Entry(0, "http://hooks.test/a"));
        await h.WaitForUrlAsync("/a");

        var wait = h.Journal.WaitForDeliveryAsync(r => r.Url.EndsWith("/a", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        Assert.True(wait.IsCompleted);
        Assert.Equal(1, (await wait).Sequence);
    }

    [Fact]
    public async Task WaitForDelivery_CompletesWhenAMatchingRecordArrives()
    {
        await using var h = Harness.Create();
        var wait = h.Journal.WaitForDeliveryAsync(r => r.Index == 1 && r.Outcome == WebhookOutcome.Sent, TimeSpan.FromMinutes(1));
        h.Dispatch(Entry(0, "http://hooks.test/a", sleepSeconds: 30), Entry(1, "http://hooks.test/b", sleepSeconds: 30));
        Assert.False(wait.IsCompleted);

        h.Time.Advance(TimeSpan.FromSeconds(30));
        var record = await wait;
        Assert.Equal("http://hooks.test/b", record.Url);
    }

    [Fact]
    public async Task WaitForDelivery_TimesOutInRealTime_WithAMessageListingWhatWasRecorded()
    {
        await using var h = Harness.Create();
        h.Dispatch(Entry(0, "http://hooks.test/a"));
        await h.WaitForUrlAsync("/a");

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            h.Journal.WaitForDeliveryAsync(r => r.Url.Contains("/never", StringComparison.Ordinal), TimeSpan.FromMilliseconds(50)));
        Assert.Contains("No webhook record matched", error.Message);
        Assert.Contains("1 record(s)", error.Message);
        Assert.Contains("sent POST /orders [0] POST http://hooks.test/a (depth 1): 200", error.Message);
    }

    [Fact]
    public async Task WaitForDelivery_SkipsAttemptsThatAreRetried_KeptOrNew()
    {
        var journal = new WebhookJournal(capacity: 10);
        var at = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        WebhookRecord Attempt(int attempt, DateTimeOffset? next) => new()
        {
            Endpoint = "POST /orders", Index = 0, Method = "POST", Url = "http://hooks.test/a", Depth = 1,
            ScheduledAt = at, DueAt = at, CompletedAt = at, Outcome = next is null ? WebhookOutcome.Sent : WebhookOutcome.Failed,
            StatusCode = next is null ? 200 : null, Attempt = attempt, NextAttemptAt = next,
        };
        journal.Add(Attempt(1, at.AddSeconds(1)));

        // The kept record is an attempt that is retried: not an outcome, so the wait goes on.
        var wait = journal.WaitForDeliveryAsync(r => r.Url.EndsWith("/a", StringComparison.Ordinal), TimeSpan.FromMinutes(1));
        Assert.False(wait.IsCompleted);
        journal.Add(Attempt(2, at.AddSeconds(2)));
        Assert.False(wait.IsCompleted);

        journal.Add(Attempt(3, next: null));
        var outcome = await wait;
        Assert.Equal(3, outcome.Attempt);
        Assert.Equal(3, outcome.Sequence);
        Assert.Equal(3, journal.Snapshot().Length);
    }

    [Fact]
    public async Task WaitForDelivery_OnAnEmptyJournal_SaysSo()
    {
        await using var h = Harness.Create();
        var error = await Assert.ThrowsAsync<TimeoutException>(() => h.Journal.WaitForDeliveryAsync(_ => true, TimeSpan.FromMilliseconds(10)));
        Assert.Contains("The journal is empty", error.Message);
    }

    [Fact]
    public async Task WaitForDelivery_CanBeCancelled()
    {
        await using var h = Harness.Create();
        using var cts = new CancellationTokenSource();
        var wait = h.Journal.WaitForDeliveryAsync(_ => true, Timeout.InfiniteTimeSpan, cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public async Task WaitForDelivery_PassesOnAPredicateException()
    {
        await using var h = Harness.Create();
        var wait = h.Journal.WaitForDeliveryAsync(_ => throw new InvalidOperationException("boom"), TimeSpan.FromMinutes(1));
        h.Dispatch(Entry(0, "http://hooks.test/a"));
        Assert.Equal("boom", (await Assert.ThrowsAsync<InvalidOperationException>(() => wait)).Message);
    }

    [Fact]
    public async Task TheJournal_KeepsTheLatestRecordsUpToItsCapacity()
    {
        await using var h = Harness.Create(o => o.JournalCapacity = 3);
        for (var i = 0; i < 5; i++)
        {
            h.Dispatch(Entry(0, $"http://hooks.test/{i}"));
            await h.WaitForUrlAsync($"/{i}");
        }

        Assert.Equal(3, h.Journal.Capacity);
        Assert.Equal([3L, 4L, 5L], h.Journal.Snapshot().Select(r => r.Sequence));
        h.Journal.Clear();
        Assert.Empty(h.Journal.Snapshot());
    }

    [Fact]
    public async Task AZeroCapacityJournal_KeepsNothing_ButWaitersStillSeeNewRecords()
    {
        await using var h = Harness.Create(o => o.JournalCapacity = 0);
        var wait = h.Journal.WaitForDeliveryAsync(_ => true, Wait);
        h.Dispatch(Entry(0, "http://hooks.test/a"));
        Assert.Equal(WebhookOutcome.Sent, (await wait).Outcome);
        Assert.Empty(h.Journal.Snapshot());
    }
}

public sealed class MetricsTests
{
    private static MetricCollector<T> Collect<T>(Harness h, string instrument) where T : struct =>
        new(h.Services.GetRequiredService<IMeterFactory>(), "Moclojer.Webhooks", instrument);

    [Fact]
    public async Task Outcomes_AreCounted_WithEndpointStatusAndErrorTags()
    {
        await using var h = Harness.Create(o => o.MaxPending = 4);
        using var scheduled = Collect<long>(h, "moclojer.webhook.scheduled");
        using var sent = Collect<long>(h, "moclojer.webhook.sent");
        using var failed = Collect<long>(h, "moclojer.webhook.failed");
        using var dropped = Collect<long>(h, "moclojer.webhook.dropped");
        using var skipped = Collect<long>(h, "moclojer.webhook.skipped");
        using var duration = Collect<double>(h, "moclojer.webhook.delivery.duration");
        using var pending = Collect<long>(h, "moclojer.webhook.pending");

        // The first entry is held until the cap has been tested: the group sends its entries in order, so all four stay
        // pending while the next request arrives (otherwise they could all be sent before it and make room for it).
        h.Dispatch(Entry(0, "http://hooks.test/stall-ok"), Entry(1, "http://hooks.test/fail"), Entry(2, "http://hooks.test/down"), Entry(3, "http://hooks.test/later", sleepSeconds: 60));
        h.Dispatch(Entry(0, "http://hooks.test/over-the-cap", sleepSeconds: 60));
        h.Dispatch(Trigger(depth: 10), Entry(0, "http://hooks.test/too-deep"));
        h.Dispatcher.RecordConditionFalse("POST /orders", 5);
        h.Handler.Release("/stall-ok");
        await h.WaitAsync(r => r.Url.EndsWith("/down", StringComparison.Ordinal));

        Assert.Equal(4, scheduled.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal("POST /orders", scheduled.LastMeasurement!.Tags["moclojer.webhook.endpoint"]);

        var sentMeasurements = sent.GetMeasurementSnapshot();
        Assert.Equal(2, sentMeasurements.EvaluateAsCounter());
        Assert.Equal([200, 500], sentMeasurements.Select(m => (int)m.Tags["http.response.status_code"]!).Order());
        Assert.All(sentMeasurements, m => Assert.Equal("POST", m.Tags["http.request.method"]));

        var failure = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal("connection_error", failure.Tags["error.type"]);

        Assert.Equal(1, dropped.GetMeasurementSnapshot().EvaluateAsCounter());

        var skips = skipped.GetMeasurementSnapshot();
        Assert.Equal(["condition", "depth"], skips.Select(m => (string)m.Tags["moclojer.webhook.reason"]!).Order());

        Assert.Equal(3, duration.GetMeasurementSnapshot().Count);
        Assert.All(duration.GetMeasurementSnapshot(), m => Assert.True(m.Value >= 0));
        Assert.Equal("s", duration.Instrument!.Unit);

        pending.RecordObservableInstruments();
        Assert.Equal(1, pending.LastMeasurement!.Value);
    }
}

public sealed class OptionsTests
{
    [Fact]
    public void Options_AreReadFromTheMoclojerWebhooksSection_AndCodeWins()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moclojer:Webhooks:MaxPending"] = "500",
            ["Moclojer:Webhooks:JournalCapacity"] = "50",
            ["Moclojer:Webhooks:JournalEnabled"] = "false",
            ["Moclojer:Webhooks:JournalPath"] = "/admin/hooks",
            ["Moclojer:Webhooks:AllowedHosts:0"] = "a.test",
            ["Moclojer:Webhooks:AllowedHosts:1"] = "*.b.test",
            ["Moclojer:Webhooks:CheckRelativeUrlsAgainstAllowedHosts"] = "true",
            ["Moclojer:Webhooks:ShutdownGracePeriod"] = "2.5",
        }).Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddMoclojerWebhooks(o => o.JournalCapacity = 7)
            .BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<MoclojerWebhookOptions>>().Value;
        Assert.Equal(500, options.MaxPending);
        Assert.Equal(7, options.JournalCapacity);
        Assert.False(options.JournalEnabled);
        Assert.Equal("/admin/hooks", options.JournalPath);
        Assert.Equal(["a.test", "*.b.test"], options.AllowedHosts);
        Assert.True(options.CheckRelativeUrlsAgainstAllowedHosts);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.ShutdownGracePeriod);
        Assert.Equal(7, services.GetRequiredService<IWebhookJournal>().Capacity);
    }

    [Fact]
    public void AllowedHosts_CanBeOneCommaSeparatedValue()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moclojer:Webhooks:AllowedHosts"] = "a.test, b.test;127.0.0.1:9977",
            ["Moclojer:Webhooks:ShutdownGracePeriod"] = "00:00:05",
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddMoclojerWebhooks().BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<MoclojerWebhookOptions>>().Value;
        Assert.Equal(["a.test", "b.test", "127.0.0.1:9977"], options.AllowedHosts);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ShutdownGracePeriod);
    }

    [Fact]
    public void Defaults()
    {
        using var services = new ServiceCollection().AddMoclojerWebhooks().BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<MoclojerWebhookOptions>>().Value;
        Assert.Equal(100_000, options.MaxPending);
        Assert.Equal(1000, options.JournalCapacity);
        Assert.True(options.JournalEnabled);
        Assert.Equal("/__moclojer/webhooks", options.JournalPath);
        Assert.Empty(options.AllowedHosts);
        Assert.False(options.CheckRelativeUrlsAgainstAllowedHosts);
        Assert.Null(options.ShutdownGracePeriod);
        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
        Assert.NotNull(services.GetRequiredService<WebhookDispatcher>());
    }

    [Theory]
    [InlineData("MaxPending", "lots")]
    [InlineData("JournalEnabled", "maybe")]
    [InlineData("ShutdownGracePeriod", "soon")]
    public void MalformedConfigurationValues_FailWithTheKey(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Moclojer:Webhooks:" + key] = value,
        }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddMoclojerWebhooks().BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IOptions<MoclojerWebhookOptions>>().Value);
        Assert.Contains("Moclojer:Webhooks:" + key, error.Message);
    }

    [Fact]
    public void OutOfRangeValues_AreRejected()
    {
        using var services = new ServiceCollection().AddMoclojerWebhooks(o =>
        {
            o.MaxPending = 0;
            o.JournalCapacity = -1;
            o.JournalPath = "admin";
        }).BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<MoclojerWebhookOptions>>().Value);
        Assert.Equal(3, error.Failures.Count());
    }

    [Fact]
    public void RegisteringTwice_KeepsOneDispatcherAndOneHostedService()
    {
        var collection = new ServiceCollection().AddMoclojerWebhooks().AddMoclojerWebhooks(o => o.MaxPending = 9);
        Assert.Single(collection, d => d.ServiceType == typeof(WebhookDispatcher));
        Assert.Single(collection, d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService));
        using var services = collection.BuildServiceProvider();
        Assert.Equal(9, services.GetRequiredService<IOptions<MoclojerWebhookOptions>>().Value.MaxPending);
    }
}
