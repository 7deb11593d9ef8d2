using System.Globalization;

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

/// <summary>The ring buffer behind <see cref="IRequestJournal"/> (<see cref="RecordJournal{T}"/>).</summary>
internal sealed class RequestJournal : RecordJournal<RequestRecord>, IRequestJournal
{
    public RequestJournal(MoclojerRequestOptions options)
        : base(options.Capacity)
    {
        MaxBodyBytes = Math.Max(0, options.MaxBodyBytes);
    }

    /// <summary>Whether requests are recorded at all (capacity above 0). When false, no body is read for the journal.</summary>
    public bool Enabled => Capacity > 0;

    /// <summary>How many body bytes a record keeps.</summary>
    public int MaxBodyBytes { get; }

    public IReadOnlyList<RequestRecord> All => Snapshot();

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

    protected override void Stamp(RequestRecord record, long sequence) => record.Sequence = sequence;

    protected override long SequenceOf(RequestRecord record) => record.Sequence;

    protected override string DescribeMissedWait(TimeSpan timeout, int count, int matched) =>
        string.Create(CultureInfo.InvariantCulture, $"No request matched the predicate within {timeout.TotalSeconds:0.###} s")
        + (count > 1 ? string.Create(CultureInfo.InvariantCulture, $" ({matched} of the {count} expected did)") : "") + ". ";

    protected override string DescribeEmpty() => "The mock received no request at all (is the client's BaseAddress the mock's?).";

    protected override string DescribeKept(int count) => string.Create(CultureInfo.InvariantCulture, $"It received {count} request(s) instead");
}
