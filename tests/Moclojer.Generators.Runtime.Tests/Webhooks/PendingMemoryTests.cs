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

        // Rounds until three are quiet, and the middle figure of those: the heap is process-wide, and work another test
        // left running (a server still stopping, a timer) may free or allocate megabytes during a round. A round is quiet
        // when the heap comes back to where it started, within 32 KiB, once the reset has let everything go: that also
        // rules out a reset that keeps memory (then no round is quiet, and the test fails saying so).
        const long quiet = 32 * 1024;
        var held = new List<double>();
        var kept = new List<long>();
        var allocated = new List<double>();
        for (var round = 0; round < 12 && held.Count < 3; round++)
        {
            var empty = GC.GetTotalMemory(forceFullCollection: true);
            var before = GC.GetAllocatedBytesForCurrentThread();
            Schedule();
            var allocatedPerEntry = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)count;
            var full = GC.GetTotalMemory(forceFullCollection: true);
            Assert.Equal(count, h.Dispatcher.GetStatistics().Waiting);

            // A reset lets the heap's array, the store's chunks and pages go (all but the first of each, kept for the next burst).
            Assert.Equal(count, h.Dispatcher.CancelPending());
            var keptBytes = GC.GetTotalMemory(forceFullCollection: true) - empty;
            kept.Add(keptBytes);
            if (Math.Abs(keptBytes) < quiet)
            {
                held.Add((full - empty) / (double)count);
                allocated.Add(allocatedPerEntry);
            }
        }

        GC.KeepAlive(entries);
        Assert.True(held.Count == 3, $"after a reset the heap did not come back within {quiet} bytes in 3 of {kept.Count} rounds (reset keeps memory, or other work ran): {string.Join(", ", kept)}");
        held.Sort();
        allocated.Sort();
        output.WriteLine($"held while waiting: {held[1]:0.00} bytes per pending webhook (quiet rounds: {string.Join(", ", held.Select(b => b.ToString("0.00")))})");
        output.WriteLine($"allocated while scheduling: {allocated[1]:0.0} bytes per pending webhook");
        output.WriteLine($"held after a reset, every round: {string.Join(", ", kept)} bytes");
        output.WriteLine($"expected: {expected:0.00} bytes (records {recordBytes / (double)count:0.00})");
        Assert.InRange(held[1], expected - 0.5, expected + 1.5);

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
