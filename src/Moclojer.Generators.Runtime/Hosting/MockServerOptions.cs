using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moclojer.Runtime.Webhooks;

namespace Moclojer.Runtime;

/// <summary>How <see cref="MockServerHost"/> (and the generated <c>MockServer</c>) starts a mock inside a test.</summary>
public sealed class MockServerOptions
{
    /// <summary>The port Kestrel listens on, on 127.0.0.1; null (the default) takes a free one. Ignored in memory.</summary>
    public int? Port { get; set; }

    /// <summary>
    /// The clock of the mock: a <c>FakeTimeProvider</c> then drives <c>delay</c>s, webhook <c>sleep-time</c>s,
    /// rate-limit windows and <c>{{now}}</c>. Null uses <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// Webhooks are sent through this handler instead of the network, e.g. an in-memory system under test's
    /// <c>WebApplicationFactory.Server.CreateHandler()</c>. The mock never disposes it. Relative webhook urls still
    /// need a listening mock (<see cref="MockServerHost.StartAsync"/>) unless this handler answers them.
    /// </summary>
    public HttpMessageHandler? WebhookHandler { get; set; }

    /// <summary>Runs last on the mock's services: replace or add services.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>
    /// Webhook options. In the test host <see cref="MoclojerWebhookOptions.ShutdownGracePeriod"/> defaults to zero, so
    /// disposing the mock abandons pending webhooks at once instead of waiting for them.
    /// </summary>
    public Action<MoclojerWebhookOptions>? Webhooks { get; set; }

    /// <summary>Request journal options (capacity, body cap, the HTTP endpoints).</summary>
    public Action<MoclojerRequestOptions>? Requests { get; set; }

    /// <summary>
    /// Logging. Null (the default) logs warnings and errors to the console, so tests are not flooded; set it to add
    /// providers or lower the level (e.g. <c>b => b.SetMinimumLevel(LogLevel.Debug)</c>).
    /// </summary>
    public Action<ILoggingBuilder>? Logging { get; set; }

    /// <summary>Configuration values (for example <c>["Moclojer:Requests:Capacity"] = "50"</c>) the mock reads at start.</summary>
    public IDictionary<string, string?> Configuration { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
}
