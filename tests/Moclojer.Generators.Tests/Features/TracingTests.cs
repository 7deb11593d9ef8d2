using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moclojer.Generators.Tests.Infrastructure;
using Moclojer.Runtime;
using Moclojer.Runtime.Webhooks;

namespace Moclojer.Generators.Tests.Features;

/// <summary>
/// Traces on the <c>Moclojer</c> activity source: a request's activity continues the caller's trace, a webhook sent
/// two (fake) minutes later is its child and carries its own W3C <c>traceparent</c>, once, to the receiver.
/// </summary>
public class TracingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private const string Yaml = """
        - endpoint:
            method: POST
            path: /checkout/:orderId|int
            response:
              status: 202
              body: '{"order": {{path-params.orderId}}}'
            webhook:
              url: /payments?order={{path-params.orderId}}
              method: POST
              sleep-time: 120
              body: '{"order": {{path-params.orderId}}}'
              if: json-params.total >= 100
        - endpoint:
            method: POST
            path: /payments
            response:
              body: '{"received": true}'
        """;

    [Fact]
    public async Task A_webhook_sent_minutes_later_is_a_child_of_the_request_that_scheduled_it()
    {
        using var trace = new TraceCapture(source => source.Name == MoclojerTracing.ActivitySourceName);
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var service = await GeneratedService.StartAsync(Yaml, time);
        using var client = CallerClient(service);

        // A call whose condition is false schedules nothing, in another trace.
        using var skipped = await client.SendAsync(trace.Post("/checkout/8", """{"total": 5}""", out _));
        Assert.Equal(HttpStatusCode.Accepted, skipped.StatusCode);

        using var response = await client.SendAsync(trace.Post("/checkout/7", """{"total": 150}""", out var caller));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var request = await trace.WaitForAsync(caller.TraceId, "POST /checkout/:orderId|int");
        Assert.Equal(caller.SpanId, request.ParentSpanId);
        Assert.Equal(ActivityKind.Server, request.Kind);
        Assert.Equal("POST", request.GetTagItem("http.request.method"));
        Assert.Equal("/checkout/:orderId|int", request.GetTagItem("http.route"));
        Assert.Equal(202, request.GetTagItem("http.response.status_code"));
        Assert.Equal("POST /checkout/:orderId|int in mocks.yml", request.GetTagItem("moclojer.endpoint"));

        // Not sent before its sleep-time; the clock is fake, so nothing else moves it.
        time.Advance(TimeSpan.FromSeconds(119));
        Assert.DoesNotContain(trace.Stopped, a => a.TraceId == caller.TraceId && a.OperationName.StartsWith("webhook", StringComparison.Ordinal));
        time.Advance(TimeSpan.FromSeconds(1));

        var journal = service.Services.GetRequiredService<IWebhookJournal>();
        var delivery = await journal.WaitForDeliveryAsync(r => r.Url.Contains("order=7", StringComparison.Ordinal), Wait);
        Assert.Equal(200, delivery.StatusCode);

        var webhook = await trace.WaitForAsync(caller.TraceId, "webhook POST /checkout/:orderId|int");
        Assert.Equal(request.SpanId, webhook.ParentSpanId);
        Assert.Equal(ActivityKind.Client, webhook.Kind);
        Assert.Equal(200, webhook.GetTagItem("http.response.status_code"));
        Assert.Equal("sent", webhook.GetTagItem("moclojer.webhook.outcome"));

        // The receiver (the mock itself, through a relative url) got exactly one traceparent naming the delivery,
        // and its own request activity continues it.
        var received = await service.Services.GetRequiredService<IRequestJournal>()
            .WaitForAsync(r => r.Path == "/payments", Wait);
        var traceParents = received.Headers.Where(h => h.Key.Equals("traceparent", StringComparison.OrdinalIgnoreCase)).ToArray();
        Assert.Equal($"00-{caller.TraceId}-{webhook.SpanId}-01", Assert.Single(traceParents).Value);
        var receiver = await trace.WaitForAsync(caller.TraceId, "POST /payments");
        Assert.Equal(webhook.SpanId, receiver.ParentSpanId);

        // Only the request whose condition held has a webhook in any trace.
        Assert.Single(trace.Stopped, a => a.OperationName.StartsWith("webhook POST /checkout", StringComparison.Ordinal)
            && a.TraceId != default && trace.Owns(a.TraceId));
    }

    [Fact]
    public async Task With_every_source_listened_to_the_webhook_still_carries_one_traceparent_of_its_own()
    {
        // ASP.NET Core's and HttpClient's activities exist too: the mock's activities nest inside ASP.NET Core's, and
        // the webhook client's own propagation does not add a second traceparent.
        using var trace = new TraceCapture(_ => true);
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var service = await GeneratedService.StartAsync(Yaml, time);
        using var client = CallerClient(service);

        using var response = await client.SendAsync(trace.Post("/checkout/9", """{"total": 500}""", out var caller));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var request = await trace.WaitForAsync(caller.TraceId, "POST /checkout/:orderId|int");
        Assert.Equal(ActivityKind.Internal, request.Kind);
        var hosting = Assert.Single(trace.Stopped, a => a.SpanId == request.ParentSpanId);
        Assert.Equal(caller.SpanId, hosting.ParentSpanId);

        time.Advance(TimeSpan.FromSeconds(120));
        var webhook = await trace.WaitForAsync(caller.TraceId, "webhook POST /checkout/:orderId|int");
        Assert.Equal(request.SpanId, webhook.ParentSpanId);

        var received = await service.Services.GetRequiredService<IRequestJournal>()
            .WaitForAsync(r => r.Path == "/payments", Wait);
        var traceParent = Assert.Single(received.Headers, h => h.Key.Equals("traceparent", StringComparison.OrdinalIgnoreCase));
        Assert.Equal($"00-{caller.TraceId}-{webhook.SpanId}-01", traceParent.Value);
        var receiver = await trace.WaitForAsync(caller.TraceId, "POST /payments");
        var receiverHosting = Assert.Single(trace.Stopped, a => a.SpanId == receiver.ParentSpanId);
        Assert.Equal(webhook.SpanId, receiverHosting.ParentSpanId);
    }

    /// <summary>The test is the caller: its client sends the traceparent the test writes, nothing of its own.</summary>
    private static HttpClient CallerClient(GeneratedService service) =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator() })
        {
            BaseAddress = service.Address,
        };

    /// <summary>Records stopped activities of the traces this test started (other tests may run meanwhile).</summary>
    private sealed class TraceCapture : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentDictionary<ActivityTraceId, bool> _traces = new();
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public TraceCapture(Func<ActivitySource, bool> listenTo)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = listenTo,
                Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (_traces.ContainsKey(activity.TraceId))
                    {
                        _stopped.Enqueue(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyCollection<Activity> Stopped => _stopped.ToArray();

        public bool Owns(ActivityTraceId traceId) => _traces.ContainsKey(traceId);

        /// <summary>A POST in a new trace, as a traced caller would send it.</summary>
        public HttpRequestMessage Post(string path, string json, out ActivityContext caller)
        {
            caller = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
            _traces[caller.TraceId] = true;
            var message = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
            };
            message.Headers.TryAddWithoutValidation("traceparent", $"00-{caller.TraceId}-{caller.SpanId}-01");
            return message;
        }

        /// <summary>Waits for an activity of a trace to stop (they stop on server threads, after the response).</summary>
        public async Task<Activity> WaitForAsync(ActivityTraceId traceId, string name)
        {
            var deadline = DateTime.UtcNow + Wait;
            while (true)
            {
                var found = _stopped.FirstOrDefault(a => a.TraceId == traceId && a.OperationName == name);
                if (found is not null)
                {
                    return found;
                }
                Assert.True(DateTime.UtcNow < deadline, $"no activity '{name}' stopped in trace {traceId}");
                await Task.Delay(10);
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
