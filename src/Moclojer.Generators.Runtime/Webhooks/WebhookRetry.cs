using System;
using System.Globalization;
using System.Net.Http.Headers;

namespace Moclojer.Runtime.Webhooks;

/// <summary>
/// A webhook's <c>retry</c> (spec W-21). Without one a webhook is sent once, whatever happens. With one, an attempt that
/// ends in a connection error, a timeout, a <c>5xx</c> or a <c>429</c> is tried again after a wait, up to
/// <see cref="Attempts"/> attempts in all; any other answer is final. Every attempt carries the same delivery id.
/// </summary>
/// <param name="Attempts">How many attempts in all, the first one included (1 to 100).</param>
/// <param name="Backoff">How the wait grows: <see cref="WebhookRetryBackoff.Fixed"/> or <see cref="WebhookRetryBackoff.Exponential"/>.</param>
/// <param name="Delay">The wait before the first retry.</param>
/// <param name="MaxDelay">The longest wait, also the most a <c>Retry-After</c> answer is honoured.</param>
public sealed record WebhookRetry(int Attempts, WebhookRetryBackoff Backoff, TimeSpan Delay, TimeSpan MaxDelay)
{
    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 for the second attempt): the answer's
    /// <c>Retry-After</c> when it gave one, else the backoff; at most <see cref="MaxDelay"/> either way.
    /// </summary>
    public TimeSpan DelayBefore(int retry, TimeSpan? retryAfter)
    {
        var max = MaxDelay < TimeSpan.Zero ? TimeSpan.Zero : MaxDelay;
        if (retryAfter is { } after)
        {
            return after < TimeSpan.Zero ? TimeSpan.Zero : after > max ? max : after;
        }

        var seconds = WebhookDeliveryRules.RetryDelaySeconds(Backoff, Math.Max(0, Delay.TotalSeconds), max.TotalSeconds, retry);
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Whether an answer with <paramref name="status"/> is retried: <c>5xx</c> and <c>429</c>.</summary>
    public static bool IsRetriedStatus(int status) => status is >= 500 and <= 599 or 429;

    /// <summary>
    /// Reads a <c>Retry-After</c> header: delay-seconds, or an HTTP date counted from <paramref name="now"/>.
    /// <see langword="null"/> when absent or unreadable.
    /// </summary>
    internal static TimeSpan? ReadRetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header is null)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta;
        }

        return header.Date is { } date ? (date > now ? date - now : TimeSpan.Zero) : null;
    }

    /// <summary>The wait as the logs write it.</summary>
    internal static string Format(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
