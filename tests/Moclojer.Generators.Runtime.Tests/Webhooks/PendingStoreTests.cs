using System.Diagnostics;
using Moclojer.Runtime.Webhooks;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

/// <summary>
/// The compact form of waiting webhooks gives back exactly what was scheduled, and its due-time heap lets each group go
/// at its own time, whatever order the groups arrived in.
/// </summary>
public sealed class PendingStoreTests
{
    /// <summary>
    /// A waiting entry keeps its url's and headers' lengths in 16 bits, and the rare larger ones elsewhere: lengths on
    /// both sides of 65,534 and 65,535 bytes come back intact.
    /// </summary>
    [Theory]
    [InlineData(65_533, 65_533)]
    [InlineData(65_534, 65_534)]
    [InlineData(65_535, 65_535)]
    [InlineData(65_536, 65_536)]
    [InlineData(70_000, 12)]
    [InlineData(3, 70_000)]
    public async Task LongUrlsAndHeaders_ComeBackExactly(int urlBytes, int headerBytes)
    {
        await using var h = Harness.Create();

        // The first url of the entry becomes its shape's; later urls keep only what follows the start they share with it.
        h.Dispatch(Entry(0, "z", sleepSeconds: 1));

        // Not a url HttpClient could send: the attempt fails at once and its journal record carries the url as stored.
        var url = "y" + new string('u', urlBytes - 1);

        // One header: "X-A" is 4 bytes with its length prefix; the value's prefix takes 1 to 3 bytes (7 bits each).
        var valueLength = headerBytes - 5;
        while (4 + valueLength + (valueLength < 128 ? 1 : valueLength < 16_384 ? 2 : 3) > headerBytes)
        {
            valueLength--;
        }

        var value = new string('v', valueLength);
        Assert.Equal(headerBytes, 4 + valueLength + (valueLength < 128 ? 1 : valueLength < 16_384 ? 2 : 3));
        h.Dispatch(Entry(0, url, sleepSeconds: 1, body: "{\"n\": 1}", headers: [("X-A", value)]));

        h.Time.Advance(TimeSpan.FromSeconds(1));
        var record = await h.WaitAsync(r => r.Url.Length > 1);
        Assert.Equal(WebhookOutcome.Failed, record.Outcome);
        Assert.Equal(url, record.Url);
        var header = Assert.Single(record.RequestHeaders!);
        Assert.Equal("X-A", header.Key);
        Assert.Equal(value, header.Value);
        Assert.Equal("{\"n\": 1}", record.RequestBody);
    }

    /// <summary>
    /// 600 requests with due times in a shuffled order (many of them equal), the clock moving meanwhile: at every due time
    /// exactly the groups due by then have left the queue, none a tick early, and none is sent before its due time.
    /// </summary>
    [Fact]
    public async Task GroupsArrivingInAnyOrder_EachLeavesAtItsOwnDueTime()
    {
        await using var h = Harness.Create(captureLogs: false);
        var start = h.Time.GetUtcNow();
        var random = new Random(13);
        var due = new List<DateTimeOffset>();
        for (var i = 0; i < 600; i++)
        {
            if (i % 7 == 6)
            {
                h.Time.Advance(TimeSpan.FromMilliseconds(random.Next(0, 2))); // some groups fall due meanwhile
            }

            // Whole milliseconds from the start: many groups share a due time.
            var receivedAt = h.Time.GetUtcNow() - TimeSpan.FromMilliseconds(random.Next(0, 3));
            var sleep = TimeSpan.FromMilliseconds(random.Next(1, 100));
            h.Dispatcher.Dispatch(Trigger(), "POST /orders", receivedAt, [new WebhookEntry(0, "POST", WebhookUrlKind.Absolute,
                "http://hooks.test/g" + i, WebhookEntry.NoHeaders, ReadOnlyMemory<byte>.Empty, sleep, TimeSpan.FromSeconds(10))]);
            due.Add(receivedAt + sleep);
        }

        var times = due.Distinct().Order().ToArray();
        Assert.True(times.Length < due.Count / 2, "many groups share a due time");
        var dispatched = h.Time.GetUtcNow();
        var waiting = h.Dispatcher.GetStatistics().Waiting;
        Assert.Equal(due.Count(d => d > dispatched), waiting);
        Assert.True(waiting > 300, $"{waiting} of 600 waited");
        foreach (var time in times.Where(t => t > h.Time.GetUtcNow()))
        {
            // A group taken a tick early leaves fewer waiting than expected for good, and the wait times out.
            h.Time.Advance(time - h.Time.GetUtcNow() - TimeSpan.FromTicks(1));
            await h.WaitingAsync(due.Count(d => d >= time));
            h.Time.Advance(TimeSpan.FromTicks(1));
            await h.WaitingAsync(due.Count(d => d > time));
        }

        Assert.Equal(0, h.Dispatcher.GetStatistics().Waiting);
        for (var i = 0; i < due.Count; i++)
        {
            var record = await h.WaitForUrlAsync("/g" + i);
            Assert.Equal(WebhookOutcome.Sent, record.Outcome);
            Assert.Equal(due[i], record.DueAt);
            Assert.True(record.SentAt >= due[i], $"/g{i} sent at {record.SentAt:O}, due at {due[i]:O}");
        }
    }

    /// <summary>
    /// 4,000 entries of all sizes (some too large for a page), with and without a trace context (some with a trace
    /// state), one in ten waiting an hour and the rest a second. When the short ones have gone, the pages they shared
    /// with the long ones are not kept for an hour: the store's pages stay within twice the live records plus two pages
    /// at every step, and every entry, moved or not, is sent exactly as it was scheduled.
    /// </summary>
    [Fact]
    public async Task RecordsLeftBehindByLongWaits_AreMovedTogether_AndComeBackExactly()
    {
        await using var h = Harness.Create(o => o.JournalCapacity = 5_000, captureLogs: false);
        const int count = 4_000;
        const long page = 64 * 1024;
        var random = new Random(17);
        var bodies = new byte[count][];
        var traces = new ActivityContext[count];
        for (var i = 0; i < count; i++)
        {
            var length = i % 97 == 0 ? 3_000 + i : random.Next(0, 1_500);
            bodies[i] = Encoding.UTF8.GetBytes(i + ":" + new string((char)('a' + (i % 26)), length));
            traces[i] = (i % 3) switch
            {
                0 => default,
                1 => new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), i % 2 == 0 ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None),
                _ => new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, "k=v" + i),
            };
            var waitsLong = i % 10 == 3;
            h.Dispatch(new WebhookEntry(0, "POST", WebhookUrlKind.Absolute, "http://hooks.test/" + (waitsLong ? "long/" : "short/") + i,
                WebhookEntry.NoHeaders, bodies[i], TimeSpan.FromSeconds(waitsLong ? 3600 : 1), TimeSpan.FromSeconds(10)) { TraceContext = traces[i] });
            if (i % 500 == 0)
            {
                AssertWithinBound();
            }
        }

        var (pagesBefore, liveBefore) = h.Dispatcher.GetPendingPageBytes();
        Assert.True(pagesBefore > 30 * page, $"{pagesBefore} bytes of pages for {count} entries");
        AssertWithinBound();

        // The short ones go: what stays is the long ones' records, moved together.
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(count / 10, h.Dispatcher.GetStatistics().Waiting);
        var (pagesAfter, liveAfter) = h.Dispatcher.GetPendingPageBytes();
        AssertWithinBound();
        Assert.True(liveAfter < liveBefore / 5, $"{liveAfter} of {liveBefore} live record bytes");
        Assert.True(pagesAfter < pagesBefore / 3, $"{pagesAfter} of {pagesBefore} page bytes kept");

        for (var i = 0; i < count; i++)
        {
            if (i % 10 != 3)
            {
                await AssertSentExactly(i, "/short/");
            }
        }

        h.Time.Advance(TimeSpan.FromSeconds(3599));
        for (var i = 3; i < count; i += 10)
        {
            await AssertSentExactly(i, "/long/");
        }

        Assert.Equal(0, h.Dispatcher.GetStatistics().Waiting);

        void AssertWithinBound()
        {
            var (pages, live) = h.Dispatcher.GetPendingPageBytes();
            Assert.True(pages <= 2 * live + 2 * page, $"{pages} bytes of pages for {live} bytes of live records");
        }

        async Task AssertSentExactly(int i, string path)
        {
            var record = await h.WaitForUrlAsync(path + i);
            Assert.Equal(WebhookOutcome.Sent, record.Outcome);
            var request = h.Handler.Requests.Single(r => r.Uri.AbsolutePath == path + i);
            Assert.Equal(bodies[i], request.Body ?? []);
            var trace = traces[i];
            Assert.Equal(trace == default ? null : Moclojer.Runtime.MoclojerTracing.TraceParent(trace), request.Header("traceparent"));
            Assert.Equal(trace.TraceState, request.Header("tracestate"));
        }
    }

    /// <summary>
    /// Arrival numbers are 32 bits: when they run out with groups waiting, the waiting groups are numbered again in
    /// their arrival order. Groups due at the same time, some scheduled before and some after the renumbering (and some
    /// gone before it), still leave in arrival order: shutdown records the ones it does not send in queue order.
    /// </summary>
    [Fact]
    public async Task ArrivalNumbersRunningOut_AreRenumbered_AndGroupsDueTogetherStillLeaveInArrivalOrder()
    {
        await using var h = Harness.Create(o => o.ShutdownGracePeriod = TimeSpan.Zero, captureLogs: false);
        h.Dispatcher.SetNextArrivalNumber(uint.MaxValue - 40);
        var start = h.Time.GetUtcNow();
        var waiting = new List<(TimeSpan Due, int Arrival)>();
        for (var i = 0; i < 100; i++)
        {
            if (i == 30)
            {
                h.Time.Advance(TimeSpan.FromSeconds(1)); // the first 20 leave: the queue has gaps in its numbers
            }

            var now = h.Time.GetUtcNow();
            var due = i < 20 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(11 + ((i * 7) % 3));
            var sleep = due - (now - start);
            h.Dispatcher.Dispatch(Trigger(), "POST /orders", now, [Entry(0, "http://hooks.test/r" + i, sleepSeconds: sleep.TotalSeconds)]);
            if (i >= 20)
            {
                waiting.Add((due, i));
            }
        }

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(WebhookOutcome.Sent, (await h.WaitForUrlAsync("/r" + i)).Outcome);
        }

        await h.Dispatcher.StopAsync(CancellationToken.None).WaitAsync(Wait);
        var abandoned = h.Journal.Snapshot().Where(r => r.Outcome == WebhookOutcome.Abandoned).Select(r => new Uri(r.Url).AbsolutePath).ToArray();
        var expected = waiting.OrderBy(w => w.Due).ThenBy(w => w.Arrival).Select(w => "/r" + w.Arrival).ToArray();
        Assert.Equal(expected, abandoned);
        Assert.True(waiting.Count(w => w.Arrival < 40) > 10 && waiting.Count(w => w.Arrival >= 40) > 10, "groups on both sides of the renumbering");
    }
}
