using System;
using System.Diagnostics;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Threading;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Moclojer.Runtime.Webhooks;

/// <summary>Registers the webhook dispatcher.</summary>
public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="WebhookDispatcher"/>, <see cref="IWebhookJournal"/>, the hosted service that stops the
    /// dispatcher gracefully, the <see cref="IHttpClientFactory"/> client <see cref="WebhookDispatcher.HttpClientName"/>,
    /// metrics and logging, and a <see cref="TimeProvider"/> (<see cref="TimeProvider.System"/> unless one is registered).
    /// Options come from the configuration section <c>Moclojer:Webhooks</c>, then from <paramref name="configure"/>.
    /// Calling it again adds only the new <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddMoclojerWebhooks(this IServiceCollection services, Action<MoclojerWebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<MoclojerWebhookOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<MoclojerWebhookOptions>, ConfigureWebhookOptionsFromConfiguration>(
            static sp => new ConfigureWebhookOptionsFromConfiguration(sp.GetService<IConfiguration>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MoclojerWebhookOptions>, ValidateWebhookOptions>());
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);

        var alreadyRegistered = false;
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(WebhookDispatcher))
            {
                alreadyRegistered = true;
                break;
            }
        }

        if (alreadyRegistered)
        {
            return services;
        }

        services.AddHttpClient(WebhookDispatcher.HttpClientName, static client =>
            {
                // Each webhook has its own timeout (W-17); the client's default 100 s must not cut it short.
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent);
            })
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = System.Net.DecompressionMethods.None,

                // Send exactly the configured headers plus the dispatcher's own traceparent (MoclojerTracing): the
                // handler must not add a second one derived from whatever activity is current.
                ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),

                // Rendered header values may hold any text; send it as UTF-8 rather than failing on non-ASCII.
                RequestHeaderEncodingSelector = static (_, _) => Encoding.UTF8,

                // Callback urls connect only where CallbackAddressPolicy allows, checked on the resolved address.
                ConnectCallback = CallbackAddressPolicy.ConnectAsync,
            })
            .RemoveAllLoggers(); // the dispatcher logs each outcome itself

        services.TryAddSingleton(static sp => new WebhookJournal(sp.GetRequiredService<IOptions<MoclojerWebhookOptions>>().Value.JournalCapacity));
        services.TryAddSingleton<IWebhookJournal>(static sp => sp.GetRequiredService<WebhookJournal>());
        services.TryAddSingleton(static sp => new WebhookDispatcher(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<MoclojerWebhookOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<WebhookJournal>(),
            sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<ILogger<WebhookDispatcher>>(),
            sp.GetService<IOptions<HostOptions>>()?.Value.ShutdownTimeout ?? TimeSpan.FromSeconds(30),
            sp.GetService<IConfiguration>()));
        services.AddHostedService<WebhookDispatcherHostedService>();
        return services;
    }

    /// <summary><c>Moclojer.Generators/&lt;version&gt;</c> (W-13).</summary>
    internal static string UserAgent { get; } = "Moclojer.Generators/" + Version();

    private static string Version()
    {
        var assembly = typeof(WebhookDispatcher).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}

/// <summary>Stops the dispatcher gracefully when the host stops (see <see cref="WebhookDispatcher.StopAsync"/>).</summary>
internal sealed class WebhookDispatcherHostedService(WebhookDispatcher dispatcher) : IHostedService
{
    public System.Threading.Tasks.Task StartAsync(CancellationToken cancellationToken) => System.Threading.Tasks.Task.CompletedTask;

    public System.Threading.Tasks.Task StopAsync(CancellationToken cancellationToken) => dispatcher.StopAsync(cancellationToken);
}
