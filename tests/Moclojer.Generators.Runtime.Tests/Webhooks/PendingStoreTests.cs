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
            h.Time.Advance(time - h.Time.GetUtcNow() - TimeSpan.FromTicks(1));
            Assert.Equal(due.Count(d => d >= time), h.Dispatcher.GetStatistics().Waiting);
            h.Time.Advance(TimeSpan.FromTicks(1));
            Assert.Equal(due.Count(d => d > time), h.Dispatcher.GetStatistics().Waiting);
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
}
