using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Moclojer.Runtime.Webhooks;

/// <summary>
/// The dispatcher's structured logs (category <c>Moclojer.Runtime.Webhooks.WebhookDispatcher</c>). Every outcome is
/// logged once with the endpoint, the entry's position, the target and the status or error (W-19); failures and
/// non-2xx answers at warning level.
/// </summary>
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 1, EventName = "WebhookScheduled", Level = LogLevel.Debug,
        Message = "Webhook {Endpoint} [{Index}] {Method} {Url} scheduled (depth {Depth}), due at {DueAt:O}")]
    public static partial void Scheduled(ILogger logger, string endpoint, int index, string method, string url, int depth, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 2, EventName = "WebhookConditionFalse", Level = LogLevel.Debug,
        Message = "Webhook {Endpoint} [{Index}] not sent: its condition is false")]
    public static partial void ConditionFalse(ILogger logger, string endpoint, int index);

    // EventId 3 was WebhookConditionError: compiled conditions cannot fail, so it is never logged; the id stays unused.

    [LoggerMessage(EventId = 4, EventName = "WebhookSent", Level = LogLevel.Information,
        Message = "Webhook {Endpoint} [{Index}] {Method} {Url} sent: {StatusCode} in {DurationMs:0.#} ms")]
    public static partial void Sent(ILogger logger, string endpoint, int index, string method, string url, int statusCode, double durationMs);

    [LoggerMessage(EventId = 5, EventName = "WebhookSentNonSuccess", Level = LogLevel.Warning,
        Message = "Webhook {Endpoint} [{Index}] {Method} {Url} sent: the target answered {StatusCode} in {DurationMs:0.#} ms")]
    public static partial void SentNonSuccess(ILogger logger, string endpoint, int index, string method, string url, int statusCode, double durationMs);

    [LoggerMessage(EventId = 6, EventName = "WebhookFailed", Level = LogLevel.Warning,
        Message = "Webhook {Endpoint} [{Index}] {Method} {Url} failed ({ErrorType}): {Reason}")]
    public static partial void Failed(ILogger logger, string endpoint, int index, string method, string url, string errorType, string reason);

    [LoggerMessage(EventId = 7, EventName = "WebhookSkipped", Level = LogLevel.Information,
        Message = "Webhook {Endpoint} [{Index}] {Method} {Url} skipped: depth {Depth} would exceed the limit of {MaxDepth}")]
    public static partial void SkippedDepth(ILogger logger, string endpoint, int index, string method, string url, int depth, int maxDepth);

    [LoggerMessage(EventId = 8, EventName = "WebhookDropped", Level = LogLevel.Warning,
        Message = "Webhook {Endpoint} [{Index}] {Method} {Url} dropped: {MaxPending} webhooks are already pending (MaxPending)")]
    public static partial void Dropped(ILogger logger, string endpoint, int index, string method, string url, int maxPending);

    [LoggerMessage(EventId = 17, EventName = "WebhookDroppedBytes", Level = LogLevel.Warning,
        Message = "Webhook {Endpoint} [{Index}] {Method} {Url} dropped: its {Size} bytes would take pending webhooks past {MaxPendingBytes} bytes (MaxPendingBytes)")]
    public static partial void DroppedBytes(ILogger logger, string endpoint, int index, string method, string url, long size, long maxPendingBytes);

    [LoggerMessage(EventId = 9, EventName = "WebhookAbandoned", Level = LogLevel.Information,
        Message = "Webhook {Endpoint} [{Index}] {Method} {Url} not sent: {Reason}")]
    public static partial void Abandoned(ILogger logger, string endpoint, int index, string method, string url, string reason);

    [LoggerMessage(EventId = 18, EventName = "WebhookAbandonedNotLogged", Level = LogLevel.Information,
        Message = "Webhook dispatcher stopping: {Count} more webhook(s) not sent were not logged one by one (only the first {Logged} were); the journal, the metrics and the summary count them")]
    public static partial void AbandonedNotLogged(ILogger logger, long count, int logged);

    [LoggerMessage(EventId = 10, EventName = "WebhookShutdownStarted", Level = LogLevel.Information,
        Message = "Webhook dispatcher stopping: {Pending} webhook(s) pending; those due within {GraceSeconds:0.###} s will still be sent, {Abandoned} due later are not sent")]
    public static partial void ShutdownStarted(ILogger logger, int pending, double graceSeconds, int abandoned);

    [LoggerMessage(EventId = 11, EventName = "WebhookShutdownSummary", Level = LogLevel.Information,
        Message = "Webhook dispatcher stopped: during shutdown {Sent} sent and {Failed} failed; {Abandoned} not sent in total")]
    public static partial void ShutdownSummary(ILogger logger, long sent, long failed, long abandoned);

    [LoggerMessage(EventId = 12, EventName = "WebhookShutdownSummaryWithLosses", Level = LogLevel.Warning,
        Message = "Webhook dispatcher stopped: during shutdown {Sent} sent and {Failed} failed; {Abandoned} not sent in total")]
    public static partial void ShutdownSummaryWithLosses(ILogger logger, long sent, long failed, long abandoned);

    [LoggerMessage(EventId = 13, EventName = "WebhookHeaderIgnored", Level = LogLevel.Warning,
        Message = "Webhook {Endpoint} [{Index}]: header '{HeaderName}' is not a valid header name and is not sent")]
    public static partial void HeaderIgnored(ILogger logger, string endpoint, int index, string headerName);

    [LoggerMessage(EventId = 14, EventName = "WebhookDispatchError", Level = LogLevel.Error,
        Message = "Webhook dispatch for {Endpoint} failed unexpectedly; the client's response is not affected")]
    public static partial void DispatchError(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(EventId = 15, EventName = "WebhookConditionFalseRecorded", Level = LogLevel.Information,
        Message = "Webhook {Endpoint} [{Index}] {Method} {Url} skipped: condition false ({Condition}) with {Values}")]
    public static partial void ConditionFalseRecorded(ILogger logger, string endpoint, int index, string method, string url, string condition, string values);

    [LoggerMessage(EventId = 16, EventName = "WebhookPendingCancelled", Level = LogLevel.Information,
        Message = "Reset: {Count} pending webhook(s) cancelled without being sent")]
    public static partial void PendingCancelled(ILogger logger, int count);
}
