using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace Moclojer.Runtime.Webhooks;

/// <summary>
/// The compact form of webhooks waiting for their <c>sleep-time</c>: what a million pending webhooks cost.
/// </summary>
/// <remarks>
/// <para>
/// A waiting webhook is one <see cref="Slot"/> (a 56-byte struct in chunks of <see cref="PendingStore.ChunkSize"/>, no
/// object of its own) and, for the first entry of its group, one 4-byte element of the due-time heap (its slot's index,
/// ordered by the due ticks and arrival number kept in that slot; see WebhookDispatcher.Queue.cs). What every request of an endpoint's entry has in common (endpoint, position, method, url kind, timeout,
/// signature, retry, and the headers while they render the same) is one shared <see cref="EntryShape"/>. What is
/// particular to the request is one record in a shared 64 KiB page (<see cref="PendingStore"/>; no array of its own):
/// its trace context as 25 bytes (ASP.NET Core gives every request an activity, so most entries have one; kept as
/// objects it was about 250 bytes, its two ids' hex strings included), the url (after the start it shares with the first
/// url of the shape) and the headers as UTF-8, and the body as it will be sent.
/// Rarely needed parts (a trace context with a trace state, a delivery id, a picked random delay, the trigger of a
/// relative url, the bytes of an entry too large for a page) live in
/// an <see cref="EntryExtra"/> allocated only for entries that have them.
/// </para>
/// <para>
/// A group becomes objects again (<see cref="Group"/> and <see cref="WebhookEntry"/>) only when it falls due, when
/// shutdown abandons it or when a reset cancels it (those two a batch at a time, see WebhookDispatcher.Shutdown.cs);
/// sending works on those. Strings that UTF-8 cannot carry exactly
/// (lone surrogates) and header lists with null members are kept as they are, so the entry sent is always the entry
/// received. Everything here is guarded by the dispatcher's lock.
/// </para>
/// </remarks>
public sealed partial class WebhookDispatcher
{
    /// <summary>At most this many distinct entry shapes are shared; past it, new shapes are not remembered.</summary>
    private const int MaxShapes = 4096;

    /// <summary>In <see cref="Slot.UrlBytes"/> or <see cref="Slot.HeaderBytes"/>: the length is in the entry's <see cref="EntryExtra"/> (64 KiB or more).</summary>
    private const ushort LengthInExtra = ushort.MaxValue;

    /// <summary>In <see cref="Slot.HeaderBytes"/>: the entry has its shape's headers.</summary>
    private const ushort ShapeHeaders = ushort.MaxValue - 1;

    /// <summary>A compact trace context at the start of an entry's bytes: trace id, span id, trace flags.</summary>
    private const int TraceBytes = 16 + 8 + 1;

    private static readonly WebhookTrigger NoTrigger = new("http", null, 0, null, 0);

    private readonly PendingStore _store = new();
    private readonly Dictionary<ShapeKey, EntryShape> _shapes = [];

    /// <summary>The shared part of <paramref name="entry"/> of <paramref name="endpoint"/>. Caller holds the lock.</summary>
    private EntryShape ShapeForLocked(string endpoint, WebhookEntry entry)
    {
        var fixedSleep = entry.MaxSleepTime is null;
        var key = new ShapeKey(endpoint, entry.Index, entry.Method, entry.UrlKind, fixedSleep ? entry.SleepTime : TimeSpan.Zero,
            entry.MaxSleepTime, entry.Timeout, entry.Signature, entry.Retry);
        if (_shapes.TryGetValue(key, out var shape))
        {
            return shape;
        }

        shape = new EntryShape(key, fixedSleep, CopyHeaders(entry.Headers), entry.Url is { } url && IsWellFormed(url) ? url : string.Empty);
        if (_shapes.Count < MaxShapes)
        {
            _shapes.Add(key, shape);
        }

        return shape;
    }

    /// <summary>
    /// Stores one admitted entry of a group in the compact form and returns its slot. Caller holds the lock and links
    /// the slot into its group.
    /// </summary>
    private int StoreLocked(EntryShape shape, WebhookEntry entry, WebhookTrigger trigger, int depth, DateTimeOffset scheduledAt, DateTimeOffset dueAt)
    {
        EntryExtra? extra = null;
        if (shape.Kind == WebhookUrlKind.Relative)
        {
            (extra ??= new()).Trigger = trigger;
        }

        // Requests served by ASP.NET Core carry an activity, so most entries have a trace context: its ids go into the
        // entry's bytes (25 bytes) instead of an extra (with the two hex strings the ids keep, about 250 bytes).
        var trace = entry.TraceContext;
        var compactTrace = false;
        if (trace != default)
        {
            if (trace.TraceState is null && !trace.IsRemote && trace.TraceId != default && trace.SpanId != default
                && (uint)trace.TraceFlags <= byte.MaxValue)
            {
                compactTrace = true;
            }
            else
            {
                (extra ??= new()).Trace = trace;
            }
        }

        if (entry.DeliveryId is not null || entry.Attempt != 1)
        {
            extra ??= new();
            extra.DeliveryId = entry.DeliveryId;
            extra.Attempt = entry.Attempt;
        }

        if (!shape.FixedSleep)
        {
            (extra ??= new()).SleepTime = entry.SleepTime;
        }

        var url = entry.Url;
        var urlBytes = 0;
        var prefix = 0;
        if (url is not null && IsWellFormed(url))
        {
            // Urls of one entry differ in their templated parts: the start they share with the shape's is not stored.
            prefix = Math.Min(url.AsSpan().CommonPrefixLength(shape.Url), ushort.MaxValue);
            if (prefix > 0 && char.IsHighSurrogate(url[prefix - 1]))
            {
                prefix--;
            }

            urlBytes = Encoding.UTF8.GetByteCount(url.AsSpan(prefix));
        }
        else
        {
            extra ??= new();
            extra.KeepsUrl = true;
            extra.Url = url;
        }

        var headers = entry.Headers ?? WebhookEntry.NoHeaders;
        int headerBytes;
        if (SameHeaders(headers, shape.Headers))
        {
            headerBytes = -1; // the shape's
        }
        else if (EncodedLength(headers) is var length and >= 0)
        {
            headerBytes = length;
        }
        else
        {
            headerBytes = 0;
            (extra ??= new()).Headers = headers;
        }

        var body = entry.Body.Span;
        var total = (compactTrace ? TraceBytes : 0) + urlBytes + Math.Max(0, headerBytes) + body.Length;
        byte[]? own = null;
        if (total > PendingStore.MaxPagedBytes)
        {
            own = new byte[total];
            (extra ??= new()).Data = own;
        }

        // Lengths are 16 bits in the slot: the rare url or headers of 64 KiB or more keep theirs in the extra.
        var urlLength = (ushort)urlBytes;
        if (urlBytes >= LengthInExtra)
        {
            urlLength = LengthInExtra;
            (extra ??= new()).UrlBytes = urlBytes;
        }

        var headerLength = headerBytes < 0 ? ShapeHeaders : (ushort)headerBytes;
        if (headerBytes >= ShapeHeaders)
        {
            headerLength = LengthInExtra;
            (extra ??= new()).HeaderBytes = headerBytes;
        }

        var index = _store.Allocate();
        var data = own is not null ? own : total == 0 ? [] : _store.WriteRecord(index, total);
        var written = 0;
        if (compactTrace)
        {
            trace.TraceId.CopyTo(data[..16]);
            trace.SpanId.CopyTo(data.Slice(16, 8));
            data[24] = (byte)trace.TraceFlags;
            written = TraceBytes;
        }

        written += urlBytes == 0 ? 0 : Encoding.UTF8.GetBytes(url.AsSpan(prefix), data[written..]);
        if (headerBytes > 0)
        {
            foreach (var (name, value) in headers)
            {
                written += WriteString(data[written..], name);
                written += WriteString(data[written..], value);
            }
        }

        body.CopyTo(data[written..]);

        ref var slot = ref _store[index];
        if (extra is null)
        {
            slot.ShapeOrExtra = shape;
        }
        else
        {
            extra.Shape = shape;
            slot.ShapeOrExtra = extra;
        }

        slot.Flags = compactTrace ? SlotFlags.Trace : SlotFlags.None;
        slot.ScheduledAt = scheduledAt.UtcTicks;
        slot.DueAt = dueAt.UtcTicks;
        slot.Next = -1;
        slot.UrlBytes = urlLength;
        slot.HeaderBytes = headerLength;
        slot.UrlPrefix = (ushort)prefix;
        slot.Depth = (byte)Math.Clamp(depth, 0, byte.MaxValue); // at most MaxDepth

        return index;
    }

    /// <summary>
    /// Turns the group whose first slot is <paramref name="head"/> back into objects and frees its slots. Caller holds
    /// the lock and has taken the group out of the queue.
    /// </summary>
    private Group TakeGroupLocked(int head)
    {
        var count = 0;
        for (var i = head; i >= 0; i = _store[i].Next)
        {
            count++;
        }

        ref var first = ref _store[head];
        var entries = new WebhookEntry[count];
        var group = new Group(ShapeOf(ref first).Endpoint, ExtraOf(ref first)?.Trigger ?? NoTrigger, first.Depth,
            new DateTimeOffset(first.ScheduledAt, TimeSpan.Zero), new DateTimeOffset(first.DueAt, TimeSpan.Zero), first.DueTicks, entries);
        var index = head;
        for (var n = 0; n < count; n++)
        {
            ref var slot = ref _store[index];
            entries[n] = Materialize(ref slot);
            var next = slot.Next;
            _store.Free(index);
            index = next;
        }

        _waiting -= count;
        if (_store.IsEmpty)
        {
            ForgetOrderLocked(trim: _store.Shrink()); // after a burst, give the memory back
        }

        return group;
    }

    /// <summary>The bytes of the store's pages and of the live records in them (tests hold the pages' bound with it).</summary>
    internal (long Pages, long LiveRecords) GetPendingPageBytes()
    {
        lock (_lock)
        {
            return (_store.PageBytes, _store.LiveRecordBytes);
        }
    }

    private static EntryShape ShapeOf(ref Slot slot) => slot.ShapeOrExtra as EntryShape ?? ((EntryExtra)slot.ShapeOrExtra!).Shape!;

    private static EntryExtra? ExtraOf(ref Slot slot) => slot.ShapeOrExtra as EntryExtra;

    private WebhookEntry Materialize(ref Slot slot)
    {
        var shape = ShapeOf(ref slot);
        var extra = ExtraOf(ref slot);
        var own = extra?.Data;
        ReadOnlySpan<byte> data = own ?? _store.RecordOf(ref slot);
        var offset = 0;
        var trace = extra?.Trace ?? default;
        if ((slot.Flags & SlotFlags.Trace) != 0)
        {
            trace = new ActivityContext(ActivityTraceId.CreateFromBytes(data[..16]), ActivitySpanId.CreateFromBytes(data.Slice(16, 8)), (ActivityTraceFlags)data[24]);
            offset = TraceBytes;
        }

        var urlBytes = slot.UrlBytes == LengthInExtra ? extra!.UrlBytes : slot.UrlBytes;
        var url = extra is { KeepsUrl: true } ? extra.Url
            : slot.UrlPrefix == 0 ? Encoding.UTF8.GetString(data.Slice(offset, urlBytes))
            : string.Concat(shape.Url.AsSpan(0, slot.UrlPrefix), Encoding.UTF8.GetString(data.Slice(offset, urlBytes)));
        offset += urlBytes;
        IReadOnlyList<KeyValuePair<string, string>> headers;
        if (slot.HeaderBytes == ShapeHeaders)
        {
            headers = shape.Headers;
        }
        else if (extra?.Headers is { } keptHeaders)
        {
            headers = keptHeaders;
        }
        else
        {
            var headerBytes = slot.HeaderBytes == LengthInExtra ? extra!.HeaderBytes : slot.HeaderBytes;
            headers = DecodeHeaders(data.Slice(offset, headerBytes));
            offset += headerBytes;
        }

        // A page is reused once its entries are gone: the body is copied out of it (an array of its own is not).
        var body = offset == data.Length ? ReadOnlyMemory<byte>.Empty
            : own is not null ? own.AsMemory(offset)
            : data[offset..].ToArray();
        return new WebhookEntry(
            shape.Index, shape.Method, shape.Kind, url!, headers, body,
            shape.FixedSleep ? shape.SleepTime : extra!.SleepTime, shape.Timeout)
        {
            TraceContext = trace,
            Signature = shape.Signature,
            Retry = shape.Retry,
            MaxSleepTime = shape.MaxSleepTime,
            Attempt = extra?.Attempt ?? 1,
            DeliveryId = extra?.DeliveryId,
        };
    }

    /// <summary>Whether UTF-8 carries <paramref name="text"/> exactly (no lone surrogate).</summary>
    private static bool IsWellFormed(string text)
    {
        var span = text.AsSpan();
        var i = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (i >= 0)
        {
            if (!char.IsHighSurrogate(span[i]) || i + 1 >= span.Length || !char.IsLowSurrogate(span[i + 1]))
            {
                return false;
            }

            span = span[(i + 2)..];
            i = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        }

        return true;
    }

    private static KeyValuePair<string, string>[] CopyHeaders(IReadOnlyList<KeyValuePair<string, string>>? headers)
    {
        if (headers is null || headers.Count == 0)
        {
            return [];
        }

        var copy = new KeyValuePair<string, string>[headers.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = headers[i];
        }

        return copy;
    }

    private static bool SameHeaders(IReadOnlyList<KeyValuePair<string, string>> headers, KeyValuePair<string, string>[] shared)
    {
        if (headers.Count != shared.Length)
        {
            return false;
        }

        for (var i = 0; i < shared.Length; i++)
        {
            var (name, value) = headers[i];
            if (!string.Equals(name, shared[i].Key, StringComparison.Ordinal) || !string.Equals(value, shared[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The bytes of <paramref name="headers"/> as length-prefixed UTF-8 names and values, or -1 when they cannot be carried exactly.</summary>
    private static int EncodedLength(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var length = 0;
        foreach (var (name, value) in headers)
        {
            if (name is null || value is null || !IsWellFormed(name) || !IsWellFormed(value))
            {
                return -1;
            }

            length += PrefixedLength(name) + PrefixedLength(value);
        }

        return length;

        static int PrefixedLength(string text)
        {
            var bytes = Encoding.UTF8.GetByteCount(text);
            var prefix = 1;
            for (var rest = (uint)bytes >> 7; rest != 0; rest >>= 7)
            {
                prefix++;
            }

            return prefix + bytes;
        }
    }

    private static int WriteString(Span<byte> destination, string text)
    {
        var bytes = (uint)Encoding.UTF8.GetByteCount(text);
        var at = 0;
        while (bytes >= 0x80)
        {
            destination[at++] = (byte)(bytes | 0x80);
            bytes >>= 7;
        }

        destination[at++] = (byte)bytes;
        return at + Encoding.UTF8.GetBytes(text, destination[at..]);
    }

    private static KeyValuePair<string, string>[] DecodeHeaders(ReadOnlySpan<byte> data)
    {
        var count = 0;
        for (var at = 0; at < data.Length; count++)
        {
            at += SkipString(data[at..]);
            at += SkipString(data[at..]);
        }

        var headers = new KeyValuePair<string, string>[count];
        for (var i = 0; i < count; i++)
        {
            var used = ReadString(data, out var name);
            used += ReadString(data[used..], out var value);
            headers[i] = new(name, value);
            data = data[used..];
        }

        return headers;
    }

    private static int SkipString(ReadOnlySpan<byte> data)
    {
        var at = ReadLength(data, out var length);
        return at + length;
    }

    private static int ReadString(ReadOnlySpan<byte> data, out string text)
    {
        var at = ReadLength(data, out var length);
        text = Encoding.UTF8.GetString(data.Slice(at, length));
        return at + length;
    }

    private static int ReadLength(ReadOnlySpan<byte> data, out int length)
    {
        length = 0;
        var shift = 0;
        var at = 0;
        byte b;
        do
        {
            b = data[at++];
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);

        return at;
    }

    /// <summary>What every request of one entry of one endpoint has in common.</summary>
    private readonly record struct ShapeKey(
        string Endpoint, int Index, string Method, WebhookUrlKind Kind, TimeSpan SleepTime, TimeSpan? MaxSleepTime, TimeSpan Timeout,
        WebhookSignature? Signature, WebhookRetry? Retry);

    /// <summary>The shared, immutable part of an entry; <see cref="Headers"/> are those of the first request seen.</summary>
    private sealed class EntryShape(ShapeKey key, bool fixedSleep, KeyValuePair<string, string>[] headers, string url)
    {
        public string Endpoint { get; } = key.Endpoint;

        public int Index { get; } = key.Index;

        public string Method { get; } = key.Method;

        public WebhookUrlKind Kind { get; } = key.Kind;

        /// <summary>False with <c>sleep-time: {min, max}</c>: each entry's picked delay is in its <see cref="EntryExtra"/>.</summary>
        public bool FixedSleep { get; } = fixedSleep;

        public TimeSpan SleepTime { get; } = key.SleepTime;

        public TimeSpan? MaxSleepTime { get; } = key.MaxSleepTime;

        public TimeSpan Timeout { get; } = key.Timeout;

        public WebhookSignature? Signature { get; } = key.Signature;

        public WebhookRetry? Retry { get; } = key.Retry;

        public KeyValuePair<string, string>[] Headers { get; } = headers;

        /// <summary>The url of the first request seen: entries store only what follows the start they share with it.</summary>
        public string Url { get; } = url;
    }

    /// <summary>The parts of a pending entry that most entries do not have.</summary>
    private sealed class EntryExtra
    {
        /// <summary>The entry's shape: the slot refers to its extra instead of its shape when it has one.</summary>
        public EntryShape? Shape;

        /// <summary>The url's stored length when it is <see cref="LengthInExtra"/> or more.</summary>
        public int UrlBytes;

        /// <summary>The headers' stored length when it is <see cref="ShapeHeaders"/> or more.</summary>
        public int HeaderBytes;

        public WebhookTrigger? Trigger;
        public ActivityContext Trace;
        public string? DeliveryId;
        public int Attempt = 1;
        public TimeSpan SleepTime;
        public bool KeepsUrl;
        public string? Url;
        public IReadOnlyList<KeyValuePair<string, string>>? Headers;

        /// <summary>The bytes of an entry too large for a page (<see cref="PendingStore.MaxPagedBytes"/>).</summary>
        public byte[]? Data;
    }

    [Flags]
    private enum SlotFlags : byte
    {
        None = 0,

        /// <summary>The entry's bytes start with its trace context (<see cref="TraceBytes"/>).</summary>
        Trace = 1,
    }

    /// <summary>
    /// One waiting entry: 56 bytes (the in-process memory test fails if it grows), no object header of its own.
    /// </summary>
    private struct Slot
    {
        /// <summary>
        /// The entry's <see cref="EntryShape"/>, or its <see cref="EntryExtra"/> (which holds the shape) when it has one:
        /// one reference for both keeps room for the heap's <see cref="DueTicks"/> and <see cref="Sequence"/>.
        /// </summary>
        public object? ShapeOrExtra;


        /// <summary>UTC ticks of when the entry was scheduled.</summary>
        public long ScheduledAt;

        /// <summary>UTC ticks of when the entry falls due.</summary>
        public long DueAt;

        /// <summary>In a group's first slot: when the group falls due, in the dispatcher's elapsed ticks (the heap's order).</summary>
        public long DueTicks;

        /// <summary>
        /// The page holding the entry's bytes, plus one (0: none, or the entry's <see cref="EntryExtra.Data"/>): its
        /// trace context (<see cref="Flags"/>), the url after its shared start (<see cref="UrlBytes"/>), the headers
        /// (<see cref="HeaderBytes"/>) and the body, in that order.
        /// </summary>
        public int Page;

        /// <summary>Where the entry's record starts in its page.</summary>
        public int Offset;

        /// <summary>The next entry of the group (W-18), or -1; in the free list, the next free slot.</summary>
        public int Next;

        /// <summary>In a group's first slot: its arrival number, which orders groups due at the same tick.</summary>
        public uint Sequence;

        /// <summary><see cref="LengthInExtra"/>: the length is the extra's.</summary>
        public ushort UrlBytes;

        /// <summary><see cref="ShapeHeaders"/>: the shape's headers; <see cref="LengthInExtra"/>: the length is the extra's.</summary>
        public ushort HeaderBytes;

        /// <summary>How many characters the url shares with the start of the shape's <see cref="EntryShape.Url"/>.</summary>
        public ushort UrlPrefix;

        public byte Depth;

        public SlotFlags Flags;
    }

    /// <summary>
    /// Slots in chunks (never one huge array, never a copy when growing) with a free list, and the entries' bytes as
    /// records in shared pages.
    /// </summary>
    /// <remarks>
    /// A record is the slot's index (4 bytes), the length of the entry's bytes (1 to 3 bytes) and those bytes; a freed
    /// record keeps its length and gets the index -1. Every page but the one being written keeps at least half a page of
    /// live records: one that falls below has its live records moved to the page being written and goes. So the pages
    /// never hold more than twice the live records plus two pages (the one being written and one spare kept for the
    /// next), whatever mix of long and short waits left records behind; moving records costs at most what was freed
    /// before.
    /// </remarks>
    private sealed class PendingStore
    {
        public const int ChunkSize = 1024; // 56 KiB: below the large object heap's threshold
        private const int ChunkShift = 10;

        /// <summary>
        /// 64 KiB: below the large object heap's threshold (85,000 bytes), so a page that goes is collected with the
        /// young generations like any other array instead of waiting for a full collection; large enough that its
        /// own header and the bytes left at its end (a record over <see cref="MaxPagedBytes"/> never goes in) are
        /// a few percent at most; and small enough that moving the live half of a page is a short copy under the lock.
        /// </summary>
        public const int PageSize = 64 * 1024;

        /// <summary>Entries with more bytes than this keep an array of their own.</summary>
        public const int MaxPagedBytes = 2 * 1024;

        private const int Freed = -1;

        private Slot[]?[] _chunks = new Slot[]?[4];
        private int _used; // slots handed out at least once since the last shrink
        private int _free = -1;
        private int _live;

        private Page?[] _pages = new Page?[4];
        private int _pagesUsed; // page numbers handed out at least once
        private readonly Stack<int> _freePages = new();
        private Page? _current;
        private Page? _spare;

        public bool IsEmpty => _live == 0;

        /// <summary>The bytes of the pages held (the one being written and the spare included).</summary>
        public long PageBytes { get; private set; }

        /// <summary>The bytes of the live records in them.</summary>
        public long LiveRecordBytes { get; private set; }

        public ref Slot this[int index] => ref _chunks[index >> ChunkShift]![index & (ChunkSize - 1)];

        public int Allocate()
        {
            _live++;
            if (_free >= 0)
            {
                var reused = _free;
                _free = this[reused].Next;
                return reused;
            }

            var index = _used++;
            var chunk = index >> ChunkShift;
            if (chunk == _chunks.Length)
            {
                Array.Resize(ref _chunks, _chunks.Length * 2);
            }

            _chunks[chunk] ??= new Slot[ChunkSize];
            return index;
        }

        public void Free(int index)
        {
            ref var slot = ref this[index];
            if (slot.Page != 0)
            {
                FreeRecord(slot.Page, slot.Offset);
            }

            slot = default;
            slot.Next = _free;
            _free = index;
            _live--;
        }

        /// <summary>Makes room for <paramref name="length"/> bytes (at most <see cref="MaxPagedBytes"/>) of slot <paramref name="index"/> and returns them to be written.</summary>
        public Span<byte> WriteRecord(int index, int length)
        {
            var size = sizeof(int) + LengthBytes(length) + length;
            var page = PageWithRoom(size);
            var at = page.Used;
            var bytes = page.Bytes.AsSpan(at, size);
            BinaryPrimitives.WriteInt32LittleEndian(bytes, index);
            var header = sizeof(int) + WriteLength(bytes[sizeof(int)..], length);
            page.Used += size;
            page.Live += size;
            LiveRecordBytes += size;
            ref var slot = ref this[index];
            slot.Page = page.Number;
            slot.Offset = at;
            return bytes[header..];
        }

        /// <summary>The bytes of the entry in <paramref name="slot"/>'s record.</summary>
        public ReadOnlySpan<byte> RecordOf(ref Slot slot)
        {
            if (slot.Page == 0)
            {
                return [];
            }

            var record = _pages[slot.Page - 1]!.Bytes.AsSpan(slot.Offset + sizeof(int));
            var header = ReadLength(record, out var length);
            return record.Slice(header, length);
        }

        /// <summary>When empty: starts over in the first chunk and page; true when it had grown past them (and lets the rest go).</summary>
        public bool Shrink()
        {
            var grown = _used > ChunkSize || _pagesUsed > 1;
            _used = 0;
            _free = -1;
            if (grown)
            {
                Array.Clear(_chunks, 1, _chunks.Length - 1);
                var keep = _current;
                Array.Clear(_pages);
                _freePages.Clear();
                _pagesUsed = 0;
                _spare = null;
                _current = null;
                PageBytes = 0;
                if (keep is not null)
                {
                    keep.Used = 0;
                    keep.Number = ++_pagesUsed;
                    _pages[0] = keep;
                    _current = keep;
                    PageBytes = PageSize;
                }
            }

            return grown;
        }

        public void Clear()
        {
            _chunks = new Slot[]?[4];
            _used = 0;
            _free = -1;
            _live = 0;
            _pages = new Page?[4];
            _pagesUsed = 0;
            _freePages.Clear();
            _current = null;
            _spare = null;
            PageBytes = 0;
            LiveRecordBytes = 0;
        }

        private void FreeRecord(int number, int offset)
        {
            var page = _pages[number - 1]!;
            var record = page.Bytes.AsSpan(offset);
            var size = sizeof(int) + ReadLength(record[sizeof(int)..], out var length) + length;
            BinaryPrimitives.WriteInt32LittleEndian(record, Freed);
            page.Live -= size;
            LiveRecordBytes -= size;
            if (page == _current)
            {
                if (page.Live == 0)
                {
                    page.Used = 0; // written again from its start
                }
            }
            else if (page.Live < PageSize / 2)
            {
                MoveLiveRecords(page);
                Release(page);
            }
        }

        /// <summary>The page being written, or a new one when the record does not fit in what is left of it.</summary>
        private Page PageWithRoom(int size)
        {
            if (_current is { } current && current.Used + size <= PageSize)
            {
                return current;
            }

            var left = _current;
            _current = NewPage();
            if (left is not null && left.Live < PageSize / 2)
            {
                // Fewer than half a page of live records: they go to the new page, which has room for them and for
                // the record (at most MaxPagedBytes plus its header).
                MoveLiveRecords(left);
                Release(left);
            }

            return _current;
        }

        /// <summary>Moves the live records of <paramref name="page"/> (not the one being written) to the one being written.</summary>
        private void MoveLiveRecords(Page page)
        {
            var bytes = page.Bytes.AsSpan(0, page.Used);
            var at = 0;
            while (at < bytes.Length)
            {
                var index = BinaryPrimitives.ReadInt32LittleEndian(bytes[at..]);
                var size = sizeof(int) + ReadLength(bytes[(at + sizeof(int))..], out var length) + length;
                if (index != Freed)
                {
                    var target = PageWithRoom(size);
                    bytes.Slice(at, size).CopyTo(target.Bytes.AsSpan(target.Used));
                    ref var slot = ref this[index];
                    slot.Page = target.Number;
                    slot.Offset = target.Used;
                    target.Used += size;
                    target.Live += size;
                    page.Live -= size;
                }

                at += size;
            }
        }

        private Page NewPage()
        {
            var number = _freePages.Count > 0 ? _freePages.Pop() : ++_pagesUsed;
            if (number > _pages.Length)
            {
                Array.Resize(ref _pages, _pages.Length * 2);
            }

            var page = _spare ?? new Page();
            if (_spare is null)
            {
                PageBytes += PageSize;
            }

            _spare = null;
            page.Number = number;
            page.Used = 0;
            page.Live = 0;
            _pages[number - 1] = page;
            return page;
        }

        /// <summary>Lets a page whose records are all freed or moved go (one is kept as the spare).</summary>
        private void Release(Page page)
        {
            Debug.Assert(page.Live == 0 && page != _current);
            _pages[page.Number - 1] = null;
            _freePages.Push(page.Number);
            if (_spare is null)
            {
                _spare = page;
            }
            else
            {
                PageBytes -= PageSize;
            }
        }

        private static int LengthBytes(int length) => length < 0x80 ? 1 : length < 0x4000 ? 2 : 3;

        private static int WriteLength(Span<byte> destination, int length)
        {
            var value = (uint)length;
            var at = 0;
            while (value >= 0x80)
            {
                destination[at++] = (byte)(value | 0x80);
                value >>= 7;
            }

            destination[at++] = (byte)value;
            return at;
        }

        private sealed class Page
        {
            public readonly byte[] Bytes = new byte[PageSize];

            /// <summary>Its index in the pages, plus one (as a slot refers to it).</summary>
            public int Number;

            /// <summary>Bytes written from its start, freed records included.</summary>
            public int Used;

            /// <summary>Bytes of its records not freed.</summary>
            public int Live;
        }
    }
}
