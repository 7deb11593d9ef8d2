using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Moclojer.Runtime.Webhooks;

/// <summary>
/// One rendered webhook entry whose condition held, as the generated endpoint handler hands it to
/// <see cref="WebhookDispatcher.Dispatch(HttpContext, string, DateTimeOffset, IReadOnlyList{WebhookEntry})"/>.
/// </summary>
/// <param name="Index">The entry's 0-based position in the endpoint's <c>webhook</c> list (0 for a single mapping).</param>
/// <param name="Method">The HTTP method in upper case (<c>GET POST PUT PATCH DELETE</c>).</param>
/// <param name="UrlKind">How <paramref name="Url"/> is to be read.</param>
/// <param name="Url">The rendered url: absolute, a path and query for <see cref="WebhookUrlKind.Relative"/>, or the raw callback value.</param>
/// <param name="Headers">
/// The configured headers, names as written and values rendered. The dispatcher applies <see cref="MockText.HeaderValue"/>
/// again (control characters removed, non-ASCII percent-encoded), so a value can never split a header line. An <c>X-Moclojer-Webhook-Depth</c> entry is ignored (the dispatcher sets it).
/// </param>
/// <param name="Body">The rendered body as UTF-8 bytes, sent verbatim; empty means no body. Must not be changed after dispatch.</param>
/// <param name="SleepTime">The delay from when the request was received (W-5). Negative values count as zero.</param>
/// <param name="Timeout">
/// How long the request may take from sending to having read the response (W-17). Zero or negative values mean the
/// default of 10 seconds.
/// </param>
public sealed record WebhookEntry(
    int Index,
    string Method,
    WebhookUrlKind UrlKind,
    string Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body,
    TimeSpan SleepTime,
    TimeSpan Timeout)
{
    /// <summary>The default <c>timeout</c> (W-17): 10 seconds.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(MockDefaults.WebhookTimeoutSeconds);

    /// <summary>An empty header list, for entries without <c>headers</c>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> NoHeaders { get; } = [];

    /// <summary>
    /// The trace context the delivery continues: by default the context of <see cref="Activity.Current"/> when the
    /// entry was created (the request's <c>Moclojer</c> activity, inside a generated handler), so the delivery's
    /// activity and its <c>traceparent</c> header belong to the request's trace even when sent minutes later.
    /// <see langword="default"/> means none.
    /// </summary>
    public ActivityContext TraceContext { get; init; } = Activity.Current?.Context ?? default;

    // ---- signatures, retries and random delays (W-20 to W-22) ----

    /// <summary>How the entry is signed when it is sent (W-20); <see langword="null"/> for none.</summary>
    public WebhookSignature? Signature { get; init; }

    /// <summary>How the entry is retried (W-21); <see langword="null"/> sends it once.</summary>
    public WebhookRetry? Retry { get; init; }

    /// <summary>
    /// With <c>sleep-time: {min, max}</c> (W-22): the longest delay. The dispatcher picks a delay uniformly between
    /// <see cref="SleepTime"/> and this when it receives the entry, and journals the one it picked.
    /// </summary>
    public TimeSpan? MaxSleepTime { get; init; }

    /// <summary>The attempt this entry stands for (1 for the first). Set by the dispatcher for retries.</summary>
    internal int Attempt { get; init; } = 1;

    /// <summary>The delivery id every attempt carries; chosen by the dispatcher when the first attempt is sent.</summary>
    internal string? DeliveryId { get; init; }
}

/// <summary>
/// What the dispatcher needs to know about the request that triggered webhooks: where it was received (for relative
/// urls, W-14) and its webhook depth (W-16). Captured once, so the <see cref="HttpContext"/> is never held.
/// </summary>
/// <param name="Scheme">The scheme that received the request (<c>http</c> or <c>https</c>).</param>
/// <param name="LocalAddress">The local address that accepted the connection; <see langword="null"/> means 127.0.0.1.</param>
/// <param name="LocalPort">The local port that accepted the connection (0 when unknown).</param>
/// <param name="Host">The request's <c>Host</c> header, sent with relative webhooks; <see langword="null"/> when absent.</param>
/// <param name="Depth">The depth of the triggering request: the value of <c>X-Moclojer-Webhook-Depth</c>, or 0.</param>
public sealed record WebhookTrigger(string Scheme, IPAddress? LocalAddress, int LocalPort, string? Host, int Depth)
{
    /// <summary>Captures the trigger information of an incoming request.</summary>
    public static WebhookTrigger FromHttpContext(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var host = request.Host.HasValue ? request.Host.Value : null;
        return new WebhookTrigger(
            string.IsNullOrEmpty(request.Scheme) ? "http" : request.Scheme,
            context.Connection.LocalIpAddress,
            context.Connection.LocalPort,
            host,
            ParseDepth(request.Headers[WebhookDispatcher.DepthHeaderName]));
    }

    /// <summary>
    /// Reads a depth header (W-16): a single non-negative decimal integer, otherwise 0. Values too large for
    /// <see cref="int"/> count as <see cref="int.MaxValue"/> (and so exceed any depth limit).
    /// </summary>
    public static int ParseDepth(StringValues values)
    {
        if (values.Count != 1 || values[0] is not { Length: > 0 } text)
        {
            return 0;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return 0;
            }
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var depth) ? depth : int.MaxValue;
    }
}
