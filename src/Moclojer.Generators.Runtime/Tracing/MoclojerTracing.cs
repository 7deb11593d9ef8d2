using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Moclojer.Runtime;

/// <summary>
/// Traces of the mock service, on the <see cref="ActivitySource"/> named <c>Moclojer</c> (<see cref="ActivitySourceName"/>).
/// Nothing is created unless something listens (an <see cref="ActivityListener"/>, or OpenTelemetry's
/// <c>AddSource("Moclojer")</c>); the service depends on no exporter.
/// <list type="bullet">
/// <item>One activity per matched mock request, named after the endpoint (<c>POST /checkout/:orderId|int</c>), with the
/// tags <c>http.request.method</c>, <c>http.route</c>, <c>http.response.status_code</c> and <c>moclojer.endpoint</c>
/// (the endpoint and its mock file). Its parent is the current activity (ASP.NET Core's request activity when that is
/// listened to), else the caller's W3C <c>traceparent</c> header.</item>
/// <item>One activity per webhook delivery (kind client), named <c>webhook POST /checkout/:orderId|int</c>, whose parent
/// is the activity that was current when the request scheduled it, however long its <c>sleep-time</c>. The webhook
/// request carries a W3C <c>traceparent</c> (and <c>tracestate</c>) naming that delivery activity, so the receiver's
/// trace continues it.</item>
/// </list>
/// </summary>
public static class MoclojerTracing
{
    /// <summary>The name of the activity source: <c>Moclojer</c>.</summary>
    public const string ActivitySourceName = "Moclojer";

    /// <summary>The W3C trace context header.</summary>
    public const string TraceParentHeaderName = "traceparent";

    /// <summary>The W3C trace state header.</summary>
    public const string TraceStateHeaderName = "tracestate";

    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(MoclojerTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the activity of a matched mock request, or returns null when nobody listens.</summary>
    internal static Activity? StartRequest(HttpContext context, MockRoute route)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? activity;
        if (Activity.Current is null && TryReadParent(context.Request.Headers, out var parent))
        {
            activity = Source.StartActivity(route.Endpoint, ActivityKind.Server, parent);
        }
        else
        {
            activity = Source.StartActivity(route.Endpoint, Activity.Current is null ? ActivityKind.Server : ActivityKind.Internal);
        }

        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("http.request.method", context.Request.Method);
            activity.SetTag("http.route", RoutePart(route.Endpoint));
            activity.SetTag("moclojer.endpoint", route.DisplayName);
        }

        return activity;
    }

    /// <summary>Records the status code of a request's activity and stops it.</summary>
    internal static void StopRequest(Activity activity, HttpContext context)
    {
        var status = context.Response.StatusCode;
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("http.response.status_code", status);
        }

        if (status >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }

        activity.Stop();
    }

    /// <summary>Starts the activity of one webhook delivery under the context captured when it was scheduled.</summary>
    internal static Activity? StartWebhook(string endpoint, string method, int index, ActivityContext parent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("webhook " + endpoint, ActivityKind.Client, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("http.request.method", method);
            activity.SetTag("moclojer.endpoint", endpoint);
            activity.SetTag("moclojer.webhook.index", index);
        }

        return activity;
    }

    /// <summary>The <c>traceparent</c> value of a context: <c>00-{trace id}-{span id}-{flags}</c>.</summary>
    internal static string TraceParent(in ActivityContext context) =>
        string.Create(CultureInfo.InvariantCulture,
            $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((int)context.TraceFlags & 0xff):x2}");

    /// <summary>The longest <c>tracestate</c> carried on (W3C Trace Context: 512 characters is what every vendor must keep).</summary>
    internal const int MaxTraceStateLength = 512;

    /// <summary>Reads a single, valid W3C <c>traceparent</c> (and <c>tracestate</c>, up to <see cref="MaxTraceStateLength"/>) of an incoming request.</summary>
    internal static bool TryReadParent(IHeaderDictionary headers, out ActivityContext parent)
    {
        parent = default;
        var traceParent = headers[TraceParentHeaderName];
        if (traceParent.Count != 1 || traceParent[0] is not { Length: 55 } text)
        {
            return false;
        }

        // A trace state longer than W3C's 512 characters is dropped, not carried: a caller cannot make every webhook
        // it schedules hold (and send on) kilobytes the pending byte budget does not count.
        var traceState = headers[TraceStateHeaderName];
        var state = traceState.Count == 1 && traceState[0] is { Length: <= MaxTraceStateLength } value ? value : null;
        return ActivityContext.TryParse(text, state, isRemote: true, out parent);
    }

    /// <summary><c>POST /checkout/:orderId|int</c> → <c>/checkout/:orderId|int</c> (the path as written in the mock file).</summary>
    private static string RoutePart(string endpoint)
    {
        // With a host the endpoint reads "GET api.example.com/admin": the route is the path part.
        var slash = endpoint.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? endpoint : endpoint[slash..];
    }
}
