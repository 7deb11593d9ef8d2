using System.Diagnostics;
using Moclojer.Runtime.Webhooks;
using Xunit.Abstractions;
using static Moclojer.Generators.Runtime.Tests.Webhooks.Hooks;

namespace Moclojer.Generators.Runtime.Tests.Webhooks;

/// <summary>The heap's live bytes are process-wide: these tests measure them alone.</summary>
[CollectionDefinition(nameof(HeapMeasurement), DisableParallelization = true)]
public sealed class HeapMeasurement;

/// <summary>What a webhook waiting for its <c>sleep-time</c> keeps alive, measured on the whole heap after full collections.</summary>
[Collection(nameof(HeapMeasurement))]
public sealed class PendingMemoryTests(ITestOutputHelper output)
{
    /// <summary>
    /// The load benchmark's <c>POST /pending/:id</c> entry (templated url and body, no headers), 65,536 of them one hour
    /// away (enough that what other work frees meanwhile, about 20 KB, moves the figure by less than a byte), without and
    /// with a trace context (every request ASP.NET Core serves has an activity). Each holds a 56-byte slot, a 4-byte
    /// element of the due-time heap and one record in a shared page: the slot's index (4 bytes), the length (1 byte), the
    /// trace context (25 bytes) if any, the url's end after the start it shares with the first url, and the 14-byte body.
    /// The store's first chunk (1,024 slots) and first page are already there when measuring, so 63/64 of the slots
    /// count. The expected figure is computed from the entries; a 4-byte larger heap element or an array per entry again
    /// (24 bytes of header at least) fails the test, and so does a trace context kept as objects (about 250 bytes).
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task APendingWebhook_HoldsItsSlotAHeapElementAndOneRecord_AndAResetGivesThemBack(bool traced)
    {
        await using var h = Harness.Create(captureLogs: false);
        const int count = 65_536;
        var entries = new WebhookEntry[count];
        var recordBytes = 0L;
        var firstUrl = "http://127.0.0.1:9300/receive?id=100000";
        for (var i = 0; i < count; i++)
        {
            var id = (100_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var url = "http://127.0.0.1:9300/receive?id=" + id;
            var body = Encoding.UTF8.GetBytes("{\"id\": " + id + "}");
            entries[i] = new WebhookEntry(0, "POST", WebhookUrlKind.Absolute, url, WebhookEntry.NoHeaders,
                body, TimeSpan.FromSeconds(3600), TimeSpan.FromSeconds(10))
            {
                TraceContext = traced ? new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded) : default,
            };
            recordBytes += 4 + 1 + (traced ? 25 : 0) + (url.Length - url.AsSpan().CommonPrefixLength(firstUrl)) + body.Length;
        }

        // Slot (63/64 of them), heap element, records in 64 KiB pages (with their 24-byte array headers) but the first,
        // which is there before measuring. What is left unwritten at the end of a page is a few bytes per page.
        const int page = 64 * 1024;
        var expected = 56.0 * 63 / 64 + 4 + ((recordBytes + page - 1) / page - 1) * (page + 24.0) / count;
        var trigger = Trigger();
        var now = h.Time.GetUtcNow();
        var batch = new WebhookEntry[1];

        // A first round creates what stays (the entry's shape, the store's first chunk, metrics); a reset empties the rest.
        Schedule();
        Assert.Equal(count, h.Dispatcher.CancelPending());

        // Three rounds, and the middle figure of each kind: work another test left running may end during one of them.
        var held = new double[3];
        var kept = new long[3];
        var allocated = new double[3];
        for (var round = 0; round < held.Length; round++)
        {
            var empty = GC.GetTotalMemory(forceFullCollection: true);
            var before = GC.GetAllocatedBytesForCurrentThread();
            Schedule();
            allocated[round] = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)count;
            var full = GC.GetTotalMemory(forceFullCollection: true);
            Assert.Equal(count, h.Dispatcher.GetStatistics().Waiting);
            held[round] = (full - empty) / (double)count;

            // A reset lets the heap's array, the store's chunks and pages go (all but the first of each, kept for the next burst).
            Assert.Equal(count, h.Dispatcher.CancelPending());
            kept[round] = GC.GetTotalMemory(forceFullCollection: true) - empty;
        }

        GC.KeepAlive(entries);
        Array.Sort(held);
        Array.Sort(kept);
        Array.Sort(allocated);
        output.WriteLine($"held while waiting: {held[1]:0.00} bytes per pending webhook (rounds: {string.Join(", ", held.Select(b => b.ToString("0.00")))})");
        output.WriteLine($"allocated while scheduling: {allocated[1]:0.0} bytes per pending webhook");
        output.WriteLine($"held after a reset: {kept[1]} bytes");
        output.WriteLine($"expected: {expected:0.00} bytes (records {recordBytes / (double)count:0.00})");
        Assert.InRange(held[1], expected - 0.5, expected + 1.5);

        // Below the heap's 64 KiB array, a 56 KiB chunk and a 64 KiB page; above the runtime's 8 KiB allocation quantum.
        Assert.True(kept[1] < 32 * 1024, $"{kept[1]} bytes still held after a reset");

        // The store works again after the reset: the first of a new round is sent at its time.
        Schedule();
        h.Time.Advance(TimeSpan.FromSeconds(3600));
        var record = await h.WaitForUrlAsync("/receive?id=100000");
        Assert.Equal(WebhookOutcome.Sent, record.Outcome);
        Assert.Equal(now + TimeSpan.FromSeconds(3600), record.SentAt);

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
