using System;
using System.Collections.Generic;
using System.Net.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Moclojer.Runtime.Webhooks;

/// <summary>
/// Signatures, retries and random delays (spec W-20 to W-22): what a webhook needs to look like a real provider's.
/// </summary>
/// <remarks>
/// <para>
/// <b>Delivery id.</b> An entry with a <see cref="WebhookEntry.Signature"/> or a <see cref="WebhookEntry.Retry"/> gets a
/// delivery id when it is dispatched (<c>msg_</c> and 32 hex digits). Every attempt sends it: as <c>webhook-id</c> for
/// Standard Webhooks, otherwise as <c>X-Moclojer-Delivery</c>. The journal records it on every record of the entry.
/// </para>
/// <para>
/// <b>Signing</b> happens for each attempt just before it is sent, with that moment's time from the
/// <see cref="TimeProvider"/>, over the exact bytes sent (an entry without a body signs the empty body). The signature
/// headers replace configured headers of the same name. A <c>secret-from</c> key without a usable value fails the
/// attempt before anything is sent (error type <c>signature</c>): a webhook is never sent unsigned.
/// </para>
/// <para>
/// <b>Retries.</b> An attempt that got a <c>5xx</c> or <c>429</c>, or that failed once the request was started
/// (a connection error, a timeout), is retried while attempts remain: its record is journaled with
/// <see cref="WebhookRecord.NextAttemptAt"/> and the next attempt waits in the scheduler's queue like any webhook,
/// keeping its pending slot (so it counts in <see cref="MoclojerWebhookOptions.MaxPending"/>). Other answers, and
/// failures before sending (an invalid callback url, a refused host, a missing secret), are final. The next entry of a
/// group (W-18) does not wait for retries: an entry has finished once its first attempt has an outcome. A retry that
/// would fall due after shutdown's grace period is recorded as abandoned.
/// </para>
/// </remarks>
public sealed partial class WebhookDispatcher
{
    private readonly IConfiguration? _configuration;
    private readonly Random? _random;
    private readonly object _randomLock = new();

    /// <summary>Picks the delays of <c>sleep-time: {min, max}</c> and gives signed or retried entries their delivery id.</summary>
    private IReadOnlyList<WebhookEntry> PrepareEntries(IReadOnlyList<WebhookEntry> entries)
    {
        WebhookEntry[]? copy = null;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry is null)
            {
                continue;
            }

            var prepared = entry;
            if (entry.MaxSleepTime is { } max && max > entry.SleepTime)
            {
                prepared = prepared with { SleepTime = PickSleepTime(entry.SleepTime < TimeSpan.Zero ? TimeSpan.Zero : entry.SleepTime, max) };
            }

            if ((entry.Signature is not null || entry.Retry is not null) && entry.DeliveryId is null)
            {
                prepared = prepared with { DeliveryId = "msg_" + Guid.NewGuid().ToString("N") };
            }

            if (!ReferenceEquals(prepared, entry))
            {
                copy ??= [.. entries];
                copy[i] = prepared;
            }
        }

        return copy ?? entries;
    }

    /// <summary>A uniform delay between <paramref name="min"/> and <paramref name="max"/>, in whole milliseconds (W-22).</summary>
    private TimeSpan PickSleepTime(TimeSpan min, TimeSpan max)
    {
        double sample;
        if (_random is null)
        {
            sample = Random.Shared.NextDouble();
        }
        else
        {
            lock (_randomLock)
            {
                sample = _random.NextDouble();
            }
        }

        sample = Math.Clamp(sample, 0, 1);
        var milliseconds = Math.Round(min.TotalMilliseconds + ((max - min).TotalMilliseconds * sample));
        return TimeSpan.FromMilliseconds(Math.Clamp(milliseconds, min.TotalMilliseconds, max.TotalMilliseconds));
    }

    /// <summary>Adds the delivery id and signature headers of one attempt; false (with the reason) when it cannot be signed.</summary>
    private bool TryAddDeliveryHeaders(HttpRequestMessage request, WebhookEntry entry, out string error)
    {
        error = string.Empty;
        if (entry.DeliveryId is not { } id)
        {
            return true;
        }

        var headers = new List<KeyValuePair<string, string>>(3);
        if (entry.Signature is { } signature
            && !signature.TrySign(_configuration, id, _time.GetUtcNow().ToUnixTimeSeconds(), entry.Body.Span, headers, out error))
        {
            return false;
        }

        if (entry.Signature?.Scheme != WebhookSignatureScheme.StandardWebhooks)
        {
            headers.Add(new(WebhookDeliveryRules.DeliveryHeader, id));
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return true;
    }

    /// <summary>Records the outcome of an attempt, or journals it and schedules the next one (W-21).</summary>
    private void Complete(Group group, WebhookEntry entry, SendResult result)
    {
        if (entry.Retry is { } retry && entry.Attempt < retry.Attempts && IsRetried(result) && ScheduleRetry(group, entry, retry, result))
        {
            return;
        }

        Record(group, entry, result);
    }

    /// <summary>5xx and 429 answers, and failures once the request was started (connection errors, timeouts).</summary>
    private static bool IsRetried(SendResult result) => result.Outcome switch
    {
        WebhookOutcome.Sent => WebhookRetry.IsRetriedStatus(result.StatusCode ?? 0),
        WebhookOutcome.Failed => result.SentAt is not null,
        _ => false,
    };

    /// <summary>
    /// Journals the attempt and queues the next one, which keeps the entry's pending slot. When the next attempt would
    /// fall due after shutdown's grace period, it is recorded as abandoned instead. Always returns true.
    /// </summary>
    private bool ScheduleRetry(Group group, WebhookEntry entry, WebhookRetry retry, SendResult result)
    {
        var wait = retry.DelayBefore(entry.Attempt, result.Outcome == WebhookOutcome.Sent ? result.RetryAfter : null);
        var now = _time.GetUtcNow();
        var nextAt = AddSaturating(now, wait);
        var next = entry with { Attempt = entry.Attempt + 1 };
        var reason = result.Outcome == WebhookOutcome.Sent
            ? "the target answered " + result.StatusCode
            : (result.ErrorType ?? "error") + ": " + (result.Error ?? "unknown error");
        try
        {
            // Journaled before the retry is queued: whoever sees the retry waiting finds this attempt in the journal.
            _journal.Add(NewRecord(group.Endpoint, entry, result.Url, group.Depth, group.ScheduledAt, group.DueAt, result.Outcome,
                now, result.StatusCode, result.Error, result.SentAt, result.Duration, result.ResponseBody, result.ResponseTruncated) with
            {
                NextAttemptAt = nextAt,
            });
            WebhookDeliveryLog.Retrying(_logger, group.Endpoint, entry.Index, entry.Method, result.Url, entry.Attempt, retry.Attempts, reason,
                WebhookRetry.Format(wait), entry.DeliveryId ?? string.Empty);
        }
        finally
        {
            bool lateForShutdown;
            lock (_lock)
            {
                var ticks = NowTicks();
                var due = AddSaturating(ticks, wait.Ticks);
                lateForShutdown = _state == State.Stopped || (_state == State.Stopping && due > _stopDeadline);
                if (!lateForShutdown)
                {
                    var slot = StoreLocked(ShapeForLocked(group.Endpoint, next), next, group.Trigger, group.Depth, group.ScheduledAt, nextAt);
                    EnqueueLocked(slot, due);
                    _waiting++;
                    if (due < _armedAt)
                    {
                        ArmLocked(ticks);
                    }
                }
            }

            if (lateForShutdown)
            {
                // The attempt is journaled; the webhook's outcome is that the retry was not sent.
                Record(group, next, SendResult.Abandon(result.Url, $"the host shut down before attempt {next.Attempt} fell due (at {nextAt:O})"));
            }
        }

        return true;
    }
}

/// <summary>The logs of signatures and retries (event ids 40 to 49 of the dispatcher's category).</summary>
internal static partial class WebhookDeliveryLog
{
    [LoggerMessage(EventId = 40, EventName = "WebhookRetrying", Level = LogLevel.Warning,
        Message = "Webhook {Endpoint} [{Index}] {Method} {Url} attempt {Attempt} of {Attempts} failed ({Reason}); retrying in {Wait} with delivery id {DeliveryId}")]
    public static partial void Retrying(ILogger logger, string endpoint, int index, string method, string url, int attempt, int attempts, string reason, string wait, string deliveryId);
}
