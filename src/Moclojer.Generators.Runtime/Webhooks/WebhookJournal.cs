using System.Globalization;
using System.Text.Json.Serialization;

namespace Moclojer.Runtime.Webhooks;

/// <summary>How a dispatched webhook ended (spec W-19, plus the dispatcher's own cap and shutdown outcomes).</summary>
public enum WebhookOutcome
{
    /// <summary>A response arrived, whatever its status.</summary>
    [JsonStringEnumMemberName("sent")]
    Sent,

    /// <summary>A connection error, a timeout, an invalid callback url or a host refused by the allow-list.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Not sent because its depth would exceed the limit of 10 (W-16).</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary>Not scheduled because <see cref="MoclojerWebhookOptions.MaxPending"/> webhooks were already pending.</summary>
    [JsonStringEnumMemberName("dropped")]
    Dropped,

    /// <summary>Not sent (or not finished) because the host shut down first. See <see cref="WebhookDispatcher.StopAsync"/>.</summary>
    [JsonStringEnumMemberName("abandoned")]
    Abandoned,
}

/// <summary>One entry of the delivery journal: the outcome of one dispatched webhook.</summary>
public sealed record WebhookRecord
{
    /// <summary>The record's position in the journal, from 1, increasing in the order outcomes were recorded.</summary>
    public long Sequence { get; internal set; }

    /// <summary>The endpoint that triggered the webhook, as the generated code names it (for example <c>POST /orders/:id</c>).</summary>
    public required string Endpoint { get; init; }

    /// <summary>The entry's 0-based position in the endpoint's <c>webhook</c> list.</summary>
    public required int Index { get; init; }

    /// <summary>The HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>
    /// The target: the absolute URL that was (or would have been) requested. For a relative url this is the local
    /// address it was sent to; for an invalid callback url, the value as given.
    /// </summary>
    public required string Url { get; init; }

    /// <summary>The <c>X-Moclojer-Webhook-Depth</c> the request carries (the trigger's depth plus one).</summary>
    public required int Depth { get; init; }

    /// <summary>When the dispatcher received the entry (the triggering request's handling).</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>When the entry fell or would fall due: the request's arrival plus its <c>sleep-time</c>.</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>When sending started, or <see langword="null"/> if the request was never started.</summary>
    public DateTimeOffset? SentAt { get; init; }

    /// <summary>When the outcome was recorded.</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>How it ended.</summary>
    public required WebhookOutcome Outcome { get; init; }

    /// <summary>The response status for <see cref="WebhookOutcome.Sent"/>.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Why it was not sent or failed; <see langword="null"/> when sent.</summary>
    public string? Error { get; init; }

    /// <summary>For an entry skipped because its <c>if</c> was false: the condition as written in the mock file.</summary>
    public string? Condition { get; init; }

    /// <summary>For an entry skipped because its <c>if</c> was false: each variable and its value, as <c>json-params.currency = "EUR"</c>.</summary>
    public IReadOnlyList<string>? ConditionValues { get; init; }

    /// <summary>The rendered request headers, names as written (the dispatcher adds <c>X-Moclojer-Webhook-Depth</c> and <c>User-Agent</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? RequestHeaders { get; init; }

    /// <summary>The rendered request body as UTF-8 text, at most 64 KiB of it (see <see cref="RequestBodyTruncated"/>); null without a body.</summary>
    public string? RequestBody { get; init; }

    /// <summary>Whether <see cref="RequestBody"/> was cut at 64 KiB.</summary>
    public bool RequestBodyTruncated { get; init; }

    /// <summary>For <see cref="WebhookOutcome.Sent"/>: the first KiB of the answer's body as UTF-8 text.</summary>
    public string? ResponseBody { get; init; }

    /// <summary>Whether the answer's body was longer than <see cref="ResponseBody"/>.</summary>
    public bool ResponseBodyTruncated { get; init; }

    /// <summary>How long the request took, from sending to having read the response (or failing).</summary>
    [JsonIgnore]
    public TimeSpan? Duration { get; init; }

    /// <summary><see cref="Duration"/> in milliseconds (the JSON form).</summary>
    [JsonPropertyName("durationMs")]
    public double? DurationMilliseconds => Duration?.TotalMilliseconds;

    /// <summary>The delay from the request's arrival that was used (W-5, W-22): the one picked for <c>sleep-time: {min, max}</c>.</summary>
    [JsonIgnore]
    public TimeSpan SleepTime { get; init; }

    /// <summary><see cref="SleepTime"/> in seconds (the JSON form).</summary>
    [JsonPropertyName("sleepTimeSeconds")]
    public double SleepTimeSeconds => SleepTime.TotalSeconds;

    /// <summary>Which attempt this record is about (1 for the first; more only with <c>retry</c>, W-21).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>
    /// The delivery id the request carried (<c>webhook-id</c> or <c>X-Moclojer-Delivery</c>), the same for every attempt;
    /// <see langword="null"/> for webhooks without <c>signature</c> or <c>retry</c>, which carry none.
    /// </summary>
    public string? DeliveryId { get; init; }

    /// <summary>
    /// For an attempt that will be retried: when the next attempt falls due. Such a record is not the webhook's outcome
    /// (<see cref="IsFinal"/> is false) and <see cref="IWebhookJournal.WaitForDeliveryAsync"/> does not complete with it.
    /// </summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Whether this record is the webhook's outcome (W-19) rather than an attempt that is retried.</summary>
    [JsonIgnore]
    public bool IsFinal => NextAttemptAt is null;

    /// <summary>A one-line description, used in logs and timeout messages.</summary>
    public override string ToString()
    {
        var result = Outcome switch
        {
            WebhookOutcome.Sent => StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "sent",
            _ => Error ?? Outcome.ToString(),
        };
        if (Condition is not null)
        {
            result += $" (if {Condition}: {string.Join(", ", ConditionValues ?? [])})";
        }
        if (Attempt > 1 || NextAttemptAt is not null)
        {
            result += NextAttemptAt is { } next ? $" (attempt {Attempt}, retried at {next:O})" : $" (attempt {Attempt})";
        }

        return $"#{Sequence} {Outcome.ToString().ToLowerInvariant()} {Endpoint} [{Index}] {Method} {Url} (depth {Depth}): {result}";
    }
}

/// <summary>
/// The bounded, in-memory delivery journal: the most recent webhook outcomes, readable from code, over HTTP
/// (<see cref="WebhookEndpointRouteBuilderExtensions.MapMoclojerWebhookJournal"/>), and awaitable from tests.
/// Resolve it from DI after <see cref="WebhookServiceCollectionExtensions.AddMoclojerWebhooks"/>.
/// </summary>
public interface IWebhookJournal
{
    /// <summary>How many records are kept (<see cref="MoclojerWebhookOptions.JournalCapacity"/>).</summary>
    int Capacity { get; }

    /// <summary>The records kept, oldest first.</summary>
    IReadOnlyList<WebhookRecord> Snapshot();

    /// <summary>Forgets every record kept (for example between test cases). Waiters are not affected.</summary>
    void Clear();

    /// <summary>
    /// Completes with the first record that matches <paramref name="predicate"/>: one already in the journal (the oldest
    /// match), or else the next one recorded. Any outcome counts (sent, failed, skipped, dropped, abandoned), so a test
    /// can wait for failures too. Nothing polls or sleeps: recording a record completes the waiters it matches.
    /// Only outcomes are offered: the record of an attempt that is retried (<see cref="WebhookRecord.IsFinal"/> false,
    /// W-21) is not, so the wait ends with the webhook's last attempt.
    /// </summary>
    /// <param name="predicate">Which record to wait for. It runs on the thread that records outcomes; keep it quick.</param>
    /// <param name="timeout">
    /// The longest wait, in real time (not the dispatcher's <see cref="TimeProvider"/>, so a test that drives a fake clock
    /// still gets its timeout). <see cref="Timeout.InfiniteTimeSpan"/> waits until <paramref name="cancellationToken"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">No match in time; the message lists what was recorded.</exception>
    Task<WebhookRecord> WaitForDeliveryAsync(Func<WebhookRecord, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <summary>The ring buffer behind <see cref="IWebhookJournal"/> (<see cref="RecordJournal{T}"/>).</summary>
internal sealed class WebhookJournal(int capacity) : RecordJournal<WebhookRecord>(capacity), IWebhookJournal
{
    IReadOnlyList<WebhookRecord> IWebhookJournal.Snapshot() => Snapshot();

    public Task<WebhookRecord> WaitForDeliveryAsync(Func<WebhookRecord, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (predicate is null)
        {
            return Task.FromException<WebhookRecord>(new ArgumentNullException(nameof(predicate)));
        }
        // An attempt that is retried is not an outcome (W-21): only final records complete a wait.
        return WaitForAsync(record => record.IsFinal && predicate(record), timeout, cancellationToken);
    }

    protected override void Stamp(WebhookRecord record, long sequence) => record.Sequence = sequence;

    protected override long SequenceOf(WebhookRecord record) => record.Sequence;

    protected override string DescribeMissedWait(TimeSpan timeout, int count, int matched) =>
        string.Create(CultureInfo.InvariantCulture, $"No webhook record matched the predicate within {timeout.TotalSeconds:0.###} s. ");

    protected override string DescribeEmpty() =>
        "The journal is empty: no webhook has reached an outcome yet (is it still waiting for its sleep-time, or was its condition false?).";

    protected override string DescribeKept(int count) => string.Create(CultureInfo.InvariantCulture, $"The journal holds {count} record(s)");
}
