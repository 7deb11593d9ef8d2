using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Moclojer.Runtime.Webhooks;

/// <summary>
/// The dispatcher's instruments, on the meter <c>Moclojer.Webhooks</c> created through <see cref="IMeterFactory"/>.
/// Names and tags follow the OpenTelemetry conventions (dotted lower-case names, UCUM units, durations in seconds).
/// </summary>
internal sealed class WebhookMetrics
{
    public const string MeterName = "Moclojer.Webhooks";

    public const string EndpointTag = "moclojer.webhook.endpoint";
    public const string MethodTag = "http.request.method";
    public const string StatusCodeTag = "http.response.status_code";
    public const string ErrorTypeTag = "error.type";
    public const string ReasonTag = "moclojer.webhook.reason";
    public const string OutcomeTag = "moclojer.webhook.outcome";

    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60];

    private readonly Counter<long> _scheduled;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _abandoned;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _lag;

    public WebhookMetrics(IMeterFactory meterFactory, Func<long> pending)
    {
        var version = typeof(WebhookMetrics).Assembly.GetName().Version?.ToString();
        var meter = meterFactory.Create(new MeterOptions(MeterName) { Version = version });
        _scheduled = meter.CreateCounter<long>("moclojer.webhook.scheduled", "{webhook}", "Webhooks accepted for sending.");
        _sent = meter.CreateCounter<long>("moclojer.webhook.sent", "{webhook}", "Webhooks that got a response, whatever its status.");
        _failed = meter.CreateCounter<long>("moclojer.webhook.failed", "{webhook}", "Webhooks that failed: connection error, timeout, invalid callback url or refused host.");
        _skipped = meter.CreateCounter<long>("moclojer.webhook.skipped", "{webhook}", "Webhooks not sent because their condition was false or the depth limit was reached.");
        _dropped = meter.CreateCounter<long>("moclojer.webhook.dropped", "{webhook}", "Webhooks not scheduled because the pending cap was reached.");
        _abandoned = meter.CreateCounter<long>("moclojer.webhook.abandoned", "{webhook}", "Webhooks not sent because the host shut down.");
        meter.CreateObservableUpDownCounter("moclojer.webhook.pending", pending, "{webhook}", "Webhooks waiting for an outcome.");
        _duration = meter.CreateHistogram(
            "moclojer.webhook.delivery.duration", "s", "Time from sending a webhook to having read its response (or failing).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _lag = meter.CreateHistogram(
            "moclojer.webhook.delivery.lag", "s", "Time from a webhook falling due to starting to send it.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    public void Scheduled(string endpoint) => _scheduled.Add(1, new KeyValuePair<string, object?>(EndpointTag, endpoint));

    public void Dropped(string endpoint) => _dropped.Add(1, new KeyValuePair<string, object?>(EndpointTag, endpoint));

    public void Abandoned(string endpoint) => _abandoned.Add(1, new KeyValuePair<string, object?>(EndpointTag, endpoint));

    /// <summary><paramref name="reason"/> is <c>condition</c> or <c>depth</c>.</summary>
    public void Skipped(string endpoint, string reason) =>
        _skipped.Add(1, new KeyValuePair<string, object?>(EndpointTag, endpoint), new KeyValuePair<string, object?>(ReasonTag, reason));

    public void Lag(string endpoint, TimeSpan lag) =>
        _lag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>(EndpointTag, endpoint));

    public void Sent(string endpoint, string method, int statusCode, TimeSpan duration)
    {
        var tags = new TagList
        {
            { EndpointTag, endpoint },
            { MethodTag, method },
            { StatusCodeTag, statusCode },
        };
        _sent.Add(1, tags);
        tags.Add(OutcomeTag, "sent");
        _duration.Record(duration.TotalSeconds, tags);
    }

    public void Failed(string endpoint, string method, string errorType, TimeSpan? duration)
    {
        var tags = new TagList
        {
            { EndpointTag, endpoint },
            { MethodTag, method },
            { ErrorTypeTag, errorType },
        };
        _failed.Add(1, tags);
        if (duration is { } elapsed)
        {
            tags.Add(OutcomeTag, "failed");
            _duration.Record(elapsed.TotalSeconds, tags);
        }
    }
}
