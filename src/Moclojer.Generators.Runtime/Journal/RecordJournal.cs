using System.Buffers;
using System.Globalization;
using System.Text;

namespace Moclojer.Runtime;

/// <summary>
/// What the request journal and the webhook delivery journal share: a ring of the most recent records (the oldest
/// forgotten first), a sequence number per record, snapshots, and waits that complete when a record is added, without
/// polling. A wait registers its waiter and snapshots the ring under the same lock, so every record is either in the
/// snapshot or offered to the waiter, never both and never neither.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
internal abstract class RecordJournal<T>
    where T : class
{
    private const int MaxRecordsInTimeoutMessage = 20;
    private const int MaxLineLength = 300;

    // A spin lock: every section is a few stores or a copy of the ring, and Monitor's owner bookkeeping (a thread-local
    // read on each enter and exit) cost about 40 ns per recorded request, a third of the record, over Kestrel.
    private SpinLock _lock = new(enableThreadOwnerTracking: false);
    private readonly T?[] _ring;
    private readonly List<Waiter> _waiters = [];
    private int _start;
    private int _count;
    private long _sequence;

    protected RecordJournal(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _ring = new T?[capacity];
    }

    /// <summary>How many records are kept; 0 keeps none (waits then see only records added after they started).</summary>
    public int Capacity => _ring.Length;

    /// <summary>Gives the record its sequence number (the record types keep the setter internal).</summary>
    protected abstract void Stamp(T record, long sequence);

    /// <summary>The record's sequence number, which orders a waiter's matches.</summary>
    protected abstract long SequenceOf(T record);

    /// <summary>The start of a timeout message: which wait ran out ("No request matched the predicate within 2 s").</summary>
    protected abstract string DescribeMissedWait(TimeSpan timeout, int count, int matched);

    /// <summary>The rest of a timeout message when nothing is kept.</summary>
    protected abstract string DescribeEmpty();

    /// <summary>How the timeout message introduces the records kept ("It received 3 request(s) instead").</summary>
    protected abstract string DescribeKept(int count);

    /// <summary>Adds a record (assigning its sequence) and offers it to the waiters.</summary>
    public void Add(T record)
    {
        Waiter[]? waiters = null;
        using (EnterLock())
        {
            Stamp(record, ++_sequence);
            var capacity = _ring.Length;
            if (capacity > 0)
            {
                // Wrapped with a comparison rather than %: this runs for every recorded request.
                if (_count < capacity)
                {
                    var index = _start + _count;
                    _ring[index >= capacity ? index - capacity : index] = record;
                    _count++;
                }
                else
                {
                    _ring[_start] = record;
                    _start = _start + 1 == capacity ? 0 : _start + 1;
                }
            }
            if (_waiters.Count > 0)
            {
                waiters = [.. _waiters];
            }
        }
        if (waiters is not null)
        {
            foreach (var waiter in waiters)
            {
                waiter.Offer(record);
            }
        }
    }

    /// <summary>A snapshot of every record kept, oldest first.</summary>
    public T[] Snapshot()
    {
        using (EnterLock())
        {
            return SnapshotLocked();
        }
    }

    /// <summary>Forgets every record kept. Waiters keep waiting.</summary>
    public void Clear()
    {
        using (EnterLock())
        {
            Array.Clear(_ring);
            _start = 0;
            _count = 0;
        }
    }

    /// <summary>How many records kept match <paramref name="predicate"/>; the predicate runs outside the lock.</summary>
    public int Count(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        // A pooled copy of the references, so the predicate runs outside the lock and counting allocates nothing.
        var buffer = Rent(out var length);
        try
        {
            var count = 0;
            foreach (var record in buffer.AsSpan(0, length))
            {
                if (predicate(record))
                {
                    count++;
                }
            }
            return count;
        }
        finally
        {
            Return(buffer, length);
        }
    }

    /// <summary>
    /// Completes with the first <paramref name="count"/> records that match, oldest first (kept ones included); throws
    /// a <see cref="TimeoutException"/> listing what was recorded when fewer matched in time.
    /// </summary>
    public async Task<IReadOnlyList<T>> WaitForCountAsync(Func<T, bool> predicate, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (matches, complete) = await WaitCoreAsync(predicate, count, timeout, cancellationToken).ConfigureAwait(false);
        if (!complete)
        {
            throw new TimeoutException(DescribeTimeout(timeout, count, matches.Count));
        }
        return matches;
    }

    /// <summary>
    /// Completes with the first record that matches: the oldest one kept, or else the next one added. Answered at once,
    /// without a waiter or a timer, when a kept record matches (the usual case in a test).
    /// </summary>
    public Task<T> WaitForAsync(Func<T, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        T[]? kept;
        try
        {
            ValidateWait(predicate, 1, timeout);
            kept = FindKept(predicate, 1);
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
        return kept is [var record] ? Task.FromResult(record) : WaitForOneAsync(predicate, timeout, cancellationToken);
    }

    private async Task<T> WaitForOneAsync(Func<T, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var records = await WaitForCountAsync(predicate, 1, timeout, cancellationToken).ConfigureAwait(false);
        return records[0];
    }

    /// <summary>
    /// Waits until <paramref name="count"/> records match, or the time is up; returns the matches either way (the
    /// long-poll of <c>GET /__moclojer/requests</c>). The timeout is real time, not a fake clock driving the mock.
    /// </summary>
    public async Task<(IReadOnlyList<T> Matches, bool Complete)> WaitCoreAsync(
        Func<T, bool> predicate, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ValidateWait(predicate, count, timeout);
        if (FindKept(predicate, count) is { } kept)
        {
            // Everything awaited has already arrived: no waiter, no timer.
            return (kept, true);
        }

        var waiter = new Waiter(this, predicate, count);
        T[] existing;
        using (EnterLock())
        {
            _waiters.Add(waiter);
            existing = SnapshotLocked();
        }
        try
        {
            waiter.OfferExisting(existing);
            try
            {
                await waiter.Task.WaitAsync(timeout, TimeProvider.System, cancellationToken).ConfigureAwait(false);
                return (waiter.Matches(), true);
            }
            catch (TimeoutException)
            {
                return (waiter.Matches(), false);
            }
        }
        finally
        {
            using (EnterLock())
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> records kept that match, oldest first, or null when fewer do: the answer of
    /// a wait whose records have already arrived, without registering a waiter.
    /// </summary>
    private T[]? FindKept(Func<T, bool> predicate, int count)
    {
        var buffer = Rent(out var length);
        try
        {
            T[]? matches = null;
            var found = 0;
            foreach (var record in buffer.AsSpan(0, length))
            {
                if (!predicate(record))
                {
                    continue;
                }
                matches ??= new T[count];
                matches[found++] = record;
                if (found == count)
                {
                    return matches;
                }
            }
            return null;
        }
        finally
        {
            Return(buffer, length);
        }
    }

    /// <summary>The records kept, oldest first, copied under the lock into a pooled array (give it back with <see cref="Return"/>).</summary>
    protected T[] Rent(out int length)
    {
        using (EnterLock())
        {
            length = _count;
            if (length == 0)
            {
                return [];
            }
            var buffer = ArrayPool<T>.Shared.Rent(length);
            var first = Math.Min(length, _ring.Length - _start);
            Array.Copy(_ring, _start, buffer, 0, first);
            Array.Copy(_ring, 0, buffer, first, length - first);
            return buffer;
        }
    }

    protected static void Return(T[] buffer, int length)
    {
        if (buffer.Length > 0)
        {
            // Cleared so the pool does not keep records (and their bodies) alive.
            Array.Clear(buffer, 0, length);
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    private static void ValidateWait(Func<T, bool> predicate, int count, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must not be negative.");
        }
    }

    private LockScope EnterLock()
    {
        var taken = false;
        _lock.Enter(ref taken);
        return new LockScope(this);
    }

    /// <summary>Leaves the lock when disposed (<c>using (EnterLock()) { ... }</c>).</summary>
    private readonly ref struct LockScope(RecordJournal<T> journal)
    {
        public void Dispose() => journal._lock.Exit();
    }

    private T[] SnapshotLocked()
    {
        var result = new T[_count];
        for (var i = 0; i < _count; i++)
        {
            result[i] = _ring[(_start + i) % _ring.Length]!;
        }
        return result;
    }

    private string DescribeTimeout(TimeSpan timeout, int count, int matched)
    {
        var records = Snapshot();
        var text = new StringBuilder(DescribeMissedWait(timeout, count, matched));
        if (records.Length == 0)
        {
            return text.Append(DescribeEmpty()).ToString();
        }
        var shown = Math.Min(records.Length, MaxRecordsInTimeoutMessage);
        text.Append(DescribeKept(records.Length));
        text.Append(shown < records.Length ? string.Create(CultureInfo.InvariantCulture, $"; the latest {shown}:") : ":");
        for (var i = records.Length - shown; i < records.Length; i++)
        {
            var line = records[i].ToString() ?? "";
            if (line.Length > MaxLineLength)
            {
                line = line[..(MaxLineLength - 1)] + "…";
            }
            text.Append(Environment.NewLine).Append("  ").Append(line);
        }
        return text.ToString();
    }

    private sealed class Waiter(RecordJournal<T> journal, Func<T, bool> predicate, int count)
    {
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<T> _matches = [];

        public Task Task => _completion.Task;

        public IReadOnlyList<T> Matches()
        {
            lock (_matches)
            {
                // Live records may be offered before the snapshot's older ones: order by sequence.
                return _matches.OrderBy(journal.SequenceOf).ToArray();
            }
        }

        public void OfferExisting(T[] records)
        {
            foreach (var record in records)
            {
                if (!Offer(record))
                {
                    break;
                }
            }
        }

        /// <summary>Counts the record if it matches; false once the waiter is complete.</summary>
        public bool Offer(T record)
        {
            if (_completion.Task.IsCompleted)
            {
                return false;
            }
            bool matches;
            try
            {
                matches = predicate(record);
            }
            catch (Exception ex)
            {
                _completion.TrySetException(ex);
                return false;
            }
            if (!matches)
            {
                return true;
            }
            lock (_matches)
            {
                // The snapshot and the live records are disjoint (registered under the journal's lock).
                if (_matches.Count >= count)
                {
                    return false;
                }
                _matches.Add(record);
                if (_matches.Count < count)
                {
                    return true;
                }
            }
            _completion.TrySetResult();
            return false;
        }
    }
}
