using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Moclojer.Runtime.Webhooks;

public sealed partial class WebhookDispatcher
{
    private static WebhookRecord NewRecord(
        string endpoint, WebhookEntry entry, string url, int depth, DateTimeOffset scheduledAt, DateTimeOffset dueAt, WebhookOutcome outcome,
        DateTimeOffset? completedAt = null, int? statusCode = null, string? error = null, DateTimeOffset? sentAt = null, TimeSpan? duration = null,
        byte[]? responseBody = null, bool responseTruncated = false) =>
        new()
        {
            RequestHeaders = entry.Headers,
            RequestBody = entry.Body.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(entry.Body.Span[..Math.Min(entry.Body.Length, MaxRecordedRequestBody)]),
            RequestBodyTruncated = entry.Body.Length > MaxRecordedRequestBody,
            ResponseBody = responseBody is null ? null : System.Text.Encoding.UTF8.GetString(responseBody),
            ResponseBodyTruncated = responseTruncated,
            Endpoint = endpoint,
            Index = entry.Index,
            Method = entry.Method,
            Url = url,
            Depth = depth,
            ScheduledAt = scheduledAt,
            DueAt = dueAt,
            SentAt = sentAt,
            CompletedAt = completedAt ?? scheduledAt,
            Outcome = outcome,
            StatusCode = statusCode,
            Error = error,
            Duration = duration,
            SleepTime = entry.SleepTime,
            Attempt = entry.Attempt,
            DeliveryId = entry.DeliveryId,
        };

    /// <summary>
    /// Records the outcome of a pending entry: log (an abandoned one only when <paramref name="logAbandoned"/>),
    /// metrics, counters, then the journal, then releases its pending slot.
    /// </summary>
    private void Record(Group group, WebhookEntry entry, SendResult result, bool logAbandoned = true)
    {
        try
        {
            var now = _time.GetUtcNow();
            switch (result.Outcome)
            {
                case WebhookOutcome.Sent:
                    var status = result.StatusCode ?? 0;
                    var duration = result.Duration ?? TimeSpan.Zero;
                    Interlocked.Increment(ref _sentCount);
                    _metrics.Sent(group.Endpoint, entry.Method, status, duration);
                    if (status is >= 200 and <= 299)
                    {
                        WebhookLog.Sent(_logger, group.Endpoint, entry.Index, entry.Method, result.Url, status, duration.TotalMilliseconds);
                    }
                    else
                    {
                        WebhookLog.SentNonSuccess(_logger, group.Endpoint, entry.Index, entry.Method, result.Url, status, duration.TotalMilliseconds);
                    }

                    break;

                case WebhookOutcome.Failed:
                    Interlocked.Increment(ref _failedCount);
                    _metrics.Failed(group.Endpoint, entry.Method, result.ErrorType ?? "error", result.Duration);
                    WebhookLog.Failed(_logger, group.Endpoint, entry.Index, entry.Method, result.Url, result.ErrorType ?? "error", result.Error ?? "unknown error");
                    break;

                default:
                    Interlocked.Increment(ref _abandonedCount);
                    _metrics.Abandoned(group.Endpoint);
                    if (logAbandoned)
                    {
                        WebhookLog.Abandoned(_logger, group.Endpoint, entry.Index, entry.Method, result.Url, result.Error ?? "the host shut down");
                    }

                    break;
            }
            // Last: a test that waits for this record then finds its log line, metrics and counters in place.
            _journal.Add(NewRecord(group.Endpoint, entry, result.Url, group.Depth, group.ScheduledAt, group.DueAt, result.Outcome,
                now, result.StatusCode, result.Error, result.SentAt, result.Duration, result.ResponseBody, result.ResponseTruncated));
        }
        finally
        {
            ReleasePending(entry);
        }
    }

    private void RecordDropped(Group group, WebhookEntry entry)
    {
        Interlocked.Increment(ref _droppedCount);
        _metrics.Dropped(group.Endpoint);
        string error;
        if (Volatile.Read(ref _pending) >= _maxPending)
        {
            WebhookLog.Dropped(_logger, group.Endpoint, entry.Index, entry.Method, entry.Url, _maxPending);
            error = $"{_maxPending} webhooks were already pending ({nameof(MoclojerWebhookOptions.MaxPending)})";
        }
        else
        {
            var size = PendingSize(entry);
            WebhookLog.DroppedBytes(_logger, group.Endpoint, entry.Index, entry.Method, entry.Url, size, _maxPendingBytes);
            error = $"its {size} bytes would take pending webhooks past {_maxPendingBytes} bytes ({nameof(MoclojerWebhookOptions.MaxPendingBytes)})";
        }

        _journal.Add(NewRecord(group.Endpoint, entry, entry.Url, group.Depth, group.ScheduledAt, group.DueAt, WebhookOutcome.Dropped,
            _time.GetUtcNow(), error: error));
    }

    /// <summary>What a pending entry holds: its body, and two bytes per character of its url and headers.</summary>
    private static long PendingSize(WebhookEntry entry)
    {
        long size = entry.Body.Length + 2L * (entry.Url?.Length ?? 0);
        foreach (var (name, value) in entry.Headers ?? WebhookEntry.NoHeaders)
        {
            size += 2L * ((name?.Length ?? 0) + (value?.Length ?? 0));
        }

        return size;
    }

    private void RecordAbandoned(Group group, WebhookEntry entry, string url, string reason, bool wasPending, bool log = true)
    {
        if (wasPending)
        {
            Record(group, entry, SendResult.Abandon(url, reason), log);
            return;
        }

        Interlocked.Increment(ref _abandonedCount);
        _metrics.Abandoned(group.Endpoint);
        WebhookLog.Abandoned(_logger, group.Endpoint, entry.Index, entry.Method, url, reason);
        _journal.Add(NewRecord(group.Endpoint, entry, url, group.Depth, group.ScheduledAt, group.DueAt, WebhookOutcome.Abandoned,
            _time.GetUtcNow(), error: reason));
    }

    /// <summary>
    /// Closes a group and records every entry without an outcome as abandoned. Returns how many. With
    /// <paramref name="lines"/> (shutdown), only as many are logged one by one as it has left.
    /// </summary>
    private int AbandonRest(Group group, string reason, AbandonedLines? lines = null)
    {
        int from;
        lock (group)
        {
            if (group.Closed)
            {
                return 0;
            }

            group.Closed = true;
            from = group.Next;
            group.Next = group.Entries.Length;
        }

        for (var i = from; i < group.Entries.Length; i++)
        {
            RecordAbandoned(group, group.Entries[i], group.Entries[i].Url, reason, wasPending: true, log: lines?.Take() ?? true);
        }

        return group.Entries.Length - from;
    }

    private void ReleasePending(WebhookEntry entry)
    {
        Interlocked.Add(ref _pendingBytes, -PendingSize(entry));
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            Volatile.Read(ref _idle)?.TrySetResult();
        }
    }

    /// <summary>How many more abandoned webhooks shutdown logs one by one, and how many it has not logged.</summary>
    private sealed class AbandonedLines(int limit)
    {
        private int _left = limit;
        private long _notLogged;

        public long NotLogged => Interlocked.Read(ref _notLogged);

        /// <summary>True when the next abandoned webhook is logged; false (and counted) past the limit.</summary>
        public bool Take()
        {
            if (Volatile.Read(ref _left) > 0 && Interlocked.Decrement(ref _left) >= 0)
            {
                return true;
            }

            Interlocked.Increment(ref _notLogged);
            return false;
        }
    }
}
