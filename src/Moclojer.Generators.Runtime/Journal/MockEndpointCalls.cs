using Moclojer.Runtime.Webhooks;

namespace Moclojer.Runtime;

/// <summary>
/// Turns a journal record of an endpoint into its typed call (path parameters converted as the path declares).
/// Returns false (with any value in <paramref name="call"/>, e.g. <c>default!</c>) when a value does not convert (the handler
/// answered that request 400), so it is not a call.
/// </summary>
public delegate bool MockCallFactory<TCall>(RequestRecord record, out TCall call);

/// <summary>
/// The typed view of one endpoint's traffic, behind each property of the generated <c>mock.Endpoints</c>:
/// its calls, a wait for the next one, and its webhook records.
/// </summary>
/// <typeparam name="TCall">The generated call type (e.g. a record with <c>int OrderId</c> and <c>RequestRecord Request</c>).</typeparam>
public sealed class MockEndpointCalls<TCall>
{
    private readonly IRequestJournal _requests;
    private readonly IWebhookJournal _webhooks;
    private readonly MockCallFactory<TCall> _factory;

    /// <param name="services">The mock's services (<see cref="MockServerHost.Services"/>, or a WebApplicationFactory's).</param>
    /// <param name="endpoint">The endpoint as journals name it: <see cref="MockRoute.Endpoint"/>, e.g. <c>POST /checkout/:orderId|int</c>.</param>
    /// <param name="factory">Converts a record of the endpoint into a typed call.</param>
    public MockEndpointCalls(IServiceProvider services, string endpoint, MockCallFactory<TCall> factory)
    {
        ArgumentNullException.ThrowIfNull(services);
        _requests = (IRequestJournal?)services.GetService(typeof(IRequestJournal)) ?? throw new InvalidOperationException("The mock service is not registered (AddMoclojer).");
        _webhooks = (IWebhookJournal?)services.GetService(typeof(IWebhookJournal)) ?? throw new InvalidOperationException("The mock service is not registered (AddMoclojer).");
        Endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        _factory = factory ?? throw new ArgumentNullException(nameof(factory));
    }

    /// <summary>The endpoint, e.g. <c>POST /checkout/:orderId|int</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The calls kept in the request journal, oldest first.</summary>
    public IReadOnlyList<TCall> Calls
    {
        get
        {
            var calls = new List<TCall>();
            foreach (var record in _requests.All)
            {
                if (record.Endpoint == Endpoint && _factory(record, out var call))
                {
                    calls.Add(call);
                }
            }
            return calls;
        }
    }

    /// <summary>The first call kept, or else the next one to arrive.</summary>
    /// <exception cref="TimeoutException">None arrived in time; the message lists the requests that did.</exception>
    public async Task<TCall> WaitForCallAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        RequestRecord record;
        try
        {
            record = await _requests.WaitForAsync(r => r.Endpoint == Endpoint && _factory(r, out _), timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"No call of {Endpoint}. {ex.Message}", ex);
        }
        return _factory(record, out var call) ? call : throw new InvalidOperationException("The call factory is not deterministic.");
    }

    /// <summary>The webhook records of this endpoint (sent, failed, skipped...), oldest first.</summary>
    public IReadOnlyList<WebhookRecord> Webhooks => _webhooks.Snapshot().Where(r => r.Endpoint == Endpoint).ToArray();

    /// <summary>The first webhook record of this endpoint matching <paramref name="predicate"/> (any when null).</summary>
    public Task<WebhookRecord> WaitForWebhookAsync(Func<WebhookRecord, bool>? predicate, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _webhooks.WaitForDeliveryAsync(r => r.Endpoint == Endpoint && (predicate is null || predicate(r)), timeout, cancellationToken);
}
