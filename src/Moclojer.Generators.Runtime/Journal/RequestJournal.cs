using System.Buffers;
using System.Globalization;
using System.Text;

namespace Moclojer.Runtime;

/// <summary>
/// The requests the mock received, most recent last, bounded by <see cref="MoclojerRequestOptions.Capacity"/>
/// (the oldest are forgotten first). A service in DI; the test host exposes it as <c>mock.Requests</c>.
/// </summary>
public interface IRequestJournal
{
    /// <summary>How many records are kept; 0 means recording is off.</summary>
    int Capacity { get; }

    /// <summary>A snapshot of every record kept, oldest first.</summary>
    IReadOnlyList<RequestRecord> All { get; }

    /// <summary>A snapshot of the records of requests no endpoint matched (answered 404 or 405), oldest first.</summary>
    IReadOnlyList<RequestRecord> Unmatched { get; }

    /// <summary>How many records kept match <paramref name="predicate"/>.</summary>
    int Count(Func<RequestRecord, bool> predicate);

    /// <summary>
    /// Completes with the first record matching <paramref name="predicate"/>: the oldest one kept, or else the next one
    /// recorded. A request is recorded once it has been answered, so its status is known.
    /// </summary>
    /// <param name="predicate">Which record; it runs on the thread that records requests, keep it quick.</param>
    /// <param name="timeout">The longest wait, in real time (a fake clock driving the mock does not shorten it).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">Nothing matched in time; the message lists what was received instead.</exception>
    Task<RequestRecord> WaitForAsync(Func<RequestRecord, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when <paramref name="count"/> records match <paramref name="predicate"/> (kept ones included), with
    /// the first <paramref name="count"/> of them, oldest first.
    /// </summary>
    /// <exception cref="TimeoutException">Fewer matched in time; the message lists what was received.</exception>
    Task<IReadOnlyList<RequestRecord>> WaitForCountAsync(Func<RequestRecord, bool> predicate, int count, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Forgets every record kept. Waiters keep waiting.</summary>
    void Clear();
}

/// <summary>The ring buffer behind <see cref="IRequestJournal"/>.</summary>
internal sealed class RequestJournal : IRequestJournal
{
    private const int MaxRecordsInTimeoutMessage = 20;
    private const int MaxLineLength = 300;

    private readonly object _lock = new();
    private readonly RequestRecord?[] _ring;
    private readonly List<Waiter> _waiters = [];
    private int _start;
    private int _count;
    private long _sequence;

    public RequestJournal(MoclojerRequestOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Capacity);
        _ring = new RequestRecord?[options.Capacity];
        MaxBodyBytes = Math.Max(0, options.MaxBodyBytes);
    }

    public int Capacity => _ring.Length;

    /// <summary>Whether requests are recorded at all (capacity above 0). When false, no body is read for the journal.</summary>
    public bool Enabled => _ring.Length > 0;

    /// <summary>How many body bytes a record keeps.</summary>
    public int MaxBodyBytes { get; }

    public IReadOnlyList<RequestRecord> All
    {
        get
        {
            lock (_lock)
            {
                return SnapshotLocked();
            }
        }
    }

    public IReadOnlyList<RequestRecord> Unmatched
    {
        get
        {
            var buffer = Rent(out var length);
            try
            {
                var unmatched = new List<RequestRecord>();
                foreach (var record in buffer.AsSpan(0, length))
                {
                    if (record.Unmatched)
                    {
                        unmatched.Add(record);
                    }
                }
                return unmatched.ToArray();
            }
            finally
            {
                Return(buffer, length);
            }
        }
    }

    public int Count(Func<RequestRecord, bool> predicate)
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
    /// The first <paramref name="count"/> records kept that match, oldest first, or null when fewer do: the answer of
    /// a wait whose records have already arrived (the usual case in a test), without registering a waiter.
    /// </summary>
    private RequestRecord[]? FindKept(Func<RequestRecord, bool> predicate, int count)
    {
        var buffer = Rent(out var length);
        try
        {
            RequestRecord[]? matches = null;
            var found = 0;
            foreach (var record in buffer.AsSpan(0, length))
            {
                if (!predicate(record))
                {
                    continue;
                }
                matches ??= new RequestRecord[count];
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
    private RequestRecord[] Rent(out int length)
    {
        lock (_lock)
        {
            length = _count;
            if (length == 0)
            {
                return [];
            }
            var buffer = ArrayPool<RequestRecord>.Shared.Rent(length);
            var first = Math.Min(length, _ring.Length - _start);
            Array.Copy(_ring, _start, buffer, 0, first);
            Array.Copy(_ring, 0, buffer, first, length - first);
            return buffer;
        }
    }

    private static void Return(RequestRecord[] buffer, int length)
    {
        if (buffer.Length > 0)
        {
            // Cleared so the pool does not keep records (and their bodies) alive.
            Array.Clear(buffer, 0, length);
            ArrayPool<RequestRecord>.Shared.Return(buffer);
        }
    }

    /// <summary>Adds a record (assigning its sequence) and offers it to the waiters.</summary>
    public void Add(RequestRecord record)
    {
        if (_ring.Length == 0)
        {
            return;
        }
        Waiter[]? waiters = null;
        lock (_lock)
        {
            record.Sequence = ++_sequence;
            if (_count < _ring.Length)
            {
                _ring[(_start + _count) % _ring.Length] = record;
                _count++;
            }
            else
            {
                _ring[_start] = record;
                _start = (_start + 1) % _ring.Length;
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

    public void Clear()
    {
        lock (_lock)
        {
            Array.Clear(_ring);
            _start = 0;
            _count = 0;
        }
    }

    public Task<RequestRecord> WaitForAsync(Func<RequestRecord, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        RequestRecord[]? kept;
        try
        {
            ValidateWait(predicate, 1, timeout);
            kept = FindKept(predicate, 1);
        }
        catch (Exception ex)
        {
            return Task.FromException<RequestRecord>(ex);
        }
        // The usual case in a test: the request was answered, so its record is already kept.
        return kept is [var record] ? Task.FromResult(record) : WaitForOneAsync(predicate, timeout, cancellationToken);
    }

    private async Task<RequestRecord> WaitForOneAsync(Func<RequestRecord, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var records = await WaitForCountAsync(predicate, 1, timeout, cancellationToken).ConfigureAwait(false);
        return records[0];
    }

    public async Task<IReadOnlyList<RequestRecord>> WaitForCountAsync(Func<RequestRecord, bool> predicate, int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var (matches, complete) = await WaitCoreAsync(predicate, count, timeout, cancellationToken).ConfigureAwait(false);
        if (!complete)
        {
            throw new TimeoutException(DescribeTimeout(timeout, count, matches.Count));
        }
        return matches;
    }

    /// <summary>
    /// Waits until <paramref name="count"/> records match, or the time is up; returns the matches either way
    /// (the long-poll of <c>GET /__moclojer/requests</c>).
    /// </summary>
    internal async Task<(IReadOnlyList<RequestRecord> Matches, bool Complete)> WaitCoreAsync(
        Func<RequestRecord, bool> predicate, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ValidateWait(predicate, count, timeout);
        if (FindKept(predicate, count) is { } kept)
        {
            // Everything awaited has already arrived: no waiter, no timer.
            return (kept, true);
        }

        var waiter = new Waiter(predicate, count);
        RequestRecord[] existing;
        lock (_lock)
        {
            // Registered and snapshotted together: every record is either in the snapshot or offered to the waiter.
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
            lock (_lock)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    private static void ValidateWait(Func<RequestRecord, bool> predicate, int count, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must not be negative.");
        }
    }

    private RequestRecord[] SnapshotLocked()
    {
        var result = new RequestRecord[_count];
        for (var i = 0; i < _count; i++)
        {
            result[i] = _ring[(_start + i) % _ring.Length]!;
        }
        return result;
    }

    private string DescribeTimeout(TimeSpan timeout, int count, int matched)
    {
        var records = All;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"No request matched the predicate within {timeout.TotalSeconds:0.###} s");
        if (count > 1)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({matched} of the {count} expected did)");
        }
        text.Append(". ");
        if (records.Count == 0)
        {
            text.Append("The mock received no request at all (is the client's BaseAddress the mock's?).");
            return text.ToString();
        }
        var shown = Math.Min(records.Count, MaxRecordsInTimeoutMessage);
        text.Append(CultureInfo.InvariantCulture, $"It received {records.Count} request(s) instead");
        text.Append(shown < records.Count ? $"; the latest {shown}:" : ":");
        for (var i = records.Count - shown; i < records.Count; i++)
        {
            var line = records[i].ToString();
            if (line.Length > MaxLineLength)
            {
                line = line[..(MaxLineLength - 1)] + "…";
            }
            text.Append(Environment.NewLine).Append("  ").Append(line);
        }
        return text.ToString();
    }

    private sealed class Waiter(Func<RequestRecord, bool> predicate, int count)
    {
        private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<RequestRecord> _matches = [];

        public Task Task => _completion.Task;

        public IReadOnlyList<RequestRecord> Matches()
        {
            lock (_matches)
            {
                // Live records may be offered before the snapshot's older ones: order by sequence.
                return _matches.OrderBy(static r => r.Sequence).ToArray();
            }
        }

        public void OfferExisting(RequestRecord[] records)
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
        public bool Offer(RequestRecord record)
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
