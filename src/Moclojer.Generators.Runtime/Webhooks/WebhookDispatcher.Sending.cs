using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Moclojer.Runtime.Webhooks;

public sealed partial class WebhookDispatcher
{
    /// <summary>Sends one webhook; <paramref name="trace"/> is the context its <c>traceparent</c> names (none when default).</summary>
    private async Task<SendResult> SendAsync(Group group, WebhookEntry entry, ActivityContext trace)
    {
        _metrics.Lag(group.Endpoint, TimeSpan.FromTicks(NowTicks() - group.DueTicks));

        if (!TryResolveTarget(group, entry, out var uri, out var url, out var failure))
        {
            return SendResult.Fail(url, "invalid_url", failure);
        }

        if (!IsAllowed(entry.UrlKind, uri))
        {
            return SendResult.Fail(url, "host_not_allowed",
                $"host '{uri.Authority}' is not in {MoclojerWebhookOptions.ConfigurationSectionName}:{nameof(MoclojerWebhookOptions.AllowedHosts)}");
        }

        if (entry.UrlKind == WebhookUrlKind.Callback && RefuseCallback(uri) is { } refusal)
        {
            return SendResult.Fail(url, CallbackRefusedError, "callback url refused: " + refusal);
        }

        if (_hardStop.IsCancellationRequested)
        {
            return SendResult.Abandon(url, "the dispatcher was stopped");
        }

        var timeout = entry.Timeout > TimeSpan.Zero ? entry.Timeout : WebhookEntry.DefaultTimeout;
        if (timeout > MaxRequestTimeout)
        {
            timeout = MaxRequestTimeout;
        }

        HttpRequestMessage request;
        try
        {
            request = BuildRequest(group, entry, uri, trace);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            return SendResult.Fail(url, "invalid_request", ex.Message);
        }

        if (entry.UrlKind == WebhookUrlKind.Callback)
        {
            // The connection checks the resolved address (CallbackAddressPolicy.ConnectAsync).
            request.Options.Set(CallbackAddressPolicy.DenyPrivateKey, _denyPrivateCallbacks);
        }

        using var disposeRequest = request;
        if (!TryAddDeliveryHeaders(request, entry, out var deliveryError))
        {
            return SendResult.Fail(url, "signature", deliveryError); // W-20: never sent unsigned
        }

        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        CancellationToken resetToken;
        lock (_lock)
        {
            resetToken = _resetSource.Token;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, _hardStop.Token, resetToken);
        var sentAt = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        try
        {
            var client = _clients.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);

            // W-10: read the answer, keeping its first KiB for the journal. Reading it is part of the request's time (W-17).
            var body = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            var head = new byte[MaxRecordedResponseBody + 1];
            var kept = 0;
            await using (body.ConfigureAwait(false))
            {
                int read;
                while (kept < head.Length && (read = await body.ReadAsync(head.AsMemory(kept), linked.Token).ConfigureAwait(false)) > 0)
                {
                    kept += read;
                }

                await body.CopyToAsync(Stream.Null, linked.Token).ConfigureAwait(false);
            }

            var truncated = kept > MaxRecordedResponseBody;
            return SendResult.Sent(url, (int)response.StatusCode, sentAt, _time.GetElapsedTime(started)) with
            {
                ResponseBody = kept == 0 ? null : head[..Math.Min(kept, MaxRecordedResponseBody)],
                ResponseTruncated = truncated,
                RetryAfter = WebhookRetry.ReadRetryAfter(response.Headers.RetryAfter, _time.GetUtcNow()),
            };
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !_hardStop.IsCancellationRequested)
        {
            return SendResult.Fail(url, "timeout", $"no complete response within the timeout of {FormatSeconds(timeout)} s", sentAt, _time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (_hardStop.IsCancellationRequested)
        {
            return SendResult.Abandon(url, "the host shut down before the request finished", sentAt, _time.GetElapsedTime(started));
        }
        catch (HttpRequestException ex) when (FindRefusal(ex) is { } refused)
        {
            return SendResult.Fail(url, CallbackRefusedError, "callback url refused: " + refused.Message);
        }
        catch (HttpRequestException ex)
        {
            return SendResult.Fail(url, ErrorType(ex), Describe(ex), sentAt, _time.GetElapsedTime(started));
        }
        catch (Exception ex)
        {
            return SendResult.Fail(url, ex.GetType().FullName ?? "exception", ex.Message, sentAt, _time.GetElapsedTime(started));
        }
    }

    /// <summary>The error type of a callback url refused by <see cref="CallbackAddressPolicy"/>.</summary>
    private const string CallbackRefusedError = "callback_refused";

    /// <summary>Why a callback url is refused before anything is resolved (a metadata name or a refused literal address), or null.</summary>
    private string? RefuseCallback(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address)
            ? CallbackAddressPolicy.RefuseAddress(address, _denyPrivateCallbacks)
            : CallbackAddressPolicy.RefuseHostName(uri.IdnHost);

    private static CallbackRefusedException? FindRefusal(Exception exception)
    {
        for (var current = exception.InnerException; current is not null; current = current.InnerException)
        {
            if (current is CallbackRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }

    /// <summary>Works out the absolute URI of a webhook (W-3, W-14, W-15), or why there is none.</summary>
    private static bool TryResolveTarget(Group group, WebhookEntry entry, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? uri, out string url, out string failure)
    {
        uri = null;
        failure = string.Empty;
        url = entry.Url ?? string.Empty;
        switch (entry.UrlKind)
        {
            case WebhookUrlKind.Relative:
                if (url.Length == 0 || url[0] != '/' || (url.Length > 1 && url[1] == '/'))
                {
                    failure = $"the relative url '{url}' does not start with a single '/'";
                    return false;
                }

                var trigger = group.Trigger;
                var scheme = (trigger.Scheme ?? "http").ToLowerInvariant();
                if (scheme is not ("http" or "https"))
                {
                    failure = $"the triggering request's scheme '{trigger.Scheme}' is not http or https";
                    return false;
                }

                if (trigger.LocalPort is <= 0 or > 65535)
                {
                    failure = "the local port of the triggering request is unknown, so a relative url cannot be sent";
                    return false;
                }

                var address = LocalAddress(trigger.LocalAddress);
                var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                    ? "[" + address.ToString().Replace("%", "%25", StringComparison.Ordinal) + "]"
                    : address.ToString();
                var absolute = string.Create(CultureInfo.InvariantCulture, $"{scheme}://{host}:{trigger.LocalPort}{url}");
                if (!Uri.TryCreate(absolute, UriKind.Absolute, out uri))
                {
                    failure = $"'{absolute}' is not a valid URL";
                    url = absolute;
                    return false;
                }

                url = uri.AbsoluteUri;
                return true;

            case WebhookUrlKind.Callback:
            case WebhookUrlKind.Absolute:
            default:
                if (!Uri.TryCreate(url, UriKind.Absolute, out uri)
                    || uri.Scheme is not ("http" or "https")
                    || string.IsNullOrEmpty(uri.Host))
                {
                    uri = null;
                    failure = url.Length == 0
                        ? "the url is empty"
                        : $"'{url}' is not an absolute http or https URL with a host";
                    return false;
                }

                url = uri.AbsoluteUri;
                return true;
        }
    }

    /// <summary>The address that received the trigger, usable as a target: never unspecified, never IPv4-mapped.</summary>
    private static IPAddress LocalAddress(IPAddress? address)
    {
        if (address is null || address.Equals(IPAddress.Any))
        {
            return IPAddress.Loopback;
        }

        if (address.Equals(IPAddress.IPv6Any))
        {
            return IPAddress.IPv6Loopback;
        }

        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    private bool IsAllowed(WebhookUrlKind kind, Uri uri) =>
        _allowList.AllowsAll
        || (kind == WebhookUrlKind.Relative && !_checkRelativeUrls)
        || _allowList.IsAllowed(uri);

    private HttpRequestMessage BuildRequest(Group group, WebhookEntry entry, Uri uri, ActivityContext trace)
    {
        var method = string.IsNullOrEmpty(entry.Method) ? HttpMethod.Post : new HttpMethod(entry.Method.ToUpperInvariant());
        var request = new HttpRequestMessage(method, uri);
        HttpContent? content = entry.Body.IsEmpty ? null : new ReadOnlyMemoryContent(entry.Body);
        var hasContentType = false;
        foreach (var (rawName, rawValue) in entry.Headers ?? WebhookEntry.NoHeaders)
        {
            var name = rawName ?? string.Empty;
            var value = MockText.HeaderValue(rawValue); // the rule of response headers (S-2, W-8)
            if (name.Equals(DepthHeaderName, StringComparison.OrdinalIgnoreCase)
                || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue; // set by the dispatcher (W-16) and by the body's length
            }

            bool added;
            if (ContentHeaderNames.Contains(name))
            {
                // A content header needs content to travel on; without a body it goes on an empty one.
                content ??= new ReadOnlyMemoryContent(ReadOnlyMemory<byte>.Empty);
                added = content.Headers.TryAddWithoutValidation(name, value);
                hasContentType |= added && name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                added = request.Headers.TryAddWithoutValidation(name, value);
            }

            if (!added)
            {
                WebhookLog.HeaderIgnored(_logger, group.Endpoint, entry.Index, name);
            }
        }

        if (content is not null && !entry.Body.IsEmpty && !hasContentType)
        {
            content.Headers.ContentType = JsonContentType; // W-8
        }

        request.Content = content;
        if (trace != default && !request.Headers.Contains(MoclojerTracing.TraceParentHeaderName))
        {
            // W3C trace context of the delivery (a traceparent written in the mock file wins). The client's own
            // propagation is off (see AddMoclojerWebhooks), so this is the only one.
            request.Headers.TryAddWithoutValidation(MoclojerTracing.TraceParentHeaderName, MoclojerTracing.TraceParent(trace));
            if (!string.IsNullOrEmpty(trace.TraceState) && !request.Headers.Contains(MoclojerTracing.TraceStateHeaderName))
            {
                request.Headers.TryAddWithoutValidation(MoclojerTracing.TraceStateHeaderName, MockText.HeaderValue(trace.TraceState));
            }
        }

        request.Headers.Remove(DepthHeaderName);
        request.Headers.TryAddWithoutValidation(DepthHeaderName, group.Depth.ToString(CultureInfo.InvariantCulture));
        if (entry.UrlKind == WebhookUrlKind.Relative && !string.IsNullOrEmpty(group.Trigger.Host))
        {
            // W-14: the chain stays on the trigger's virtual host.
            request.Headers.Host = MockText.HeaderValue(group.Trigger.Host);
        }

        return request;
    }

    /// <summary>Tags a delivery's activity with its outcome.</summary>
    private static void TraceOutcome(Activity activity, SendResult result)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("url.full", result.Url);
            activity.SetTag("moclojer.webhook.outcome", result.Outcome.ToString().ToLowerInvariant());
            if (result.StatusCode is { } status)
            {
                activity.SetTag("http.response.status_code", status);
            }
            if (result.ErrorType is { } errorType)
            {
                activity.SetTag("error.type", errorType);
            }
        }

        if (result.Outcome != WebhookOutcome.Sent || result.StatusCode >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error, result.Error);
        }
    }

    private static string ErrorType(HttpRequestException exception) => exception.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "name_resolution_error",
        HttpRequestError.ConnectionError => "connection_error",
        HttpRequestError.SecureConnectionError => "secure_connection_error",
        HttpRequestError.HttpProtocolError => "http_protocol_error",
        HttpRequestError.ExtendedConnectNotSupported => "extended_connect_not_supported",
        HttpRequestError.VersionNegotiationError => "version_negotiation_error",
        HttpRequestError.UserAuthenticationError => "user_authentication_error",
        HttpRequestError.ProxyTunnelError => "proxy_tunnel_error",
        HttpRequestError.InvalidResponse => "invalid_response",
        HttpRequestError.ResponseEnded => "response_ended",
        HttpRequestError.ConfigurationLimitExceeded => "configuration_limit_exceeded",
        _ => "http_request_error",
    };

    private static string Describe(Exception exception)
    {
        var message = exception.Message;
        if (exception.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) && !message.Contains(inner.Message, StringComparison.Ordinal))
        {
            message += " (" + inner.Message + ")";
        }

        return message;
    }

    /// <summary>What happened to one send attempt.</summary>
    private readonly record struct SendResult(
        WebhookOutcome Outcome, string Url, int? StatusCode, string? ErrorType, string? Error, DateTimeOffset? SentAt, TimeSpan? Duration)
    {
        public byte[]? ResponseBody { get; init; }

        public bool ResponseTruncated { get; init; }

        /// <summary>The answer's <c>Retry-After</c>, for retries (W-21).</summary>
        public TimeSpan? RetryAfter { get; init; }

        public static SendResult Sent(string url, int status, DateTimeOffset sentAt, TimeSpan duration) =>
            new(WebhookOutcome.Sent, url, status, null, null, sentAt, duration);

        public static SendResult Fail(string url, string errorType, string error, DateTimeOffset? sentAt = null, TimeSpan? duration = null) =>
            new(WebhookOutcome.Failed, url, null, errorType, error, sentAt, duration);

        public static SendResult Abandon(string url, string error, DateTimeOffset? sentAt = null, TimeSpan? duration = null) =>
            new(WebhookOutcome.Abandoned, url, null, null, error, sentAt, duration);
    }
}
