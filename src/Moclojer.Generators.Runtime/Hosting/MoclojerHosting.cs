using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moclojer.Runtime.Webhooks;

namespace Moclojer.Runtime;

/// <summary>Registration and hosting helpers that the generated <c>AddMoclojer</c>/<c>MapMoclojer</c> call.</summary>
public static partial class MoclojerHosting
{
    /// <summary>The route pattern of the single endpoint that serves every mock route.</summary>
    public const string CatchAllPattern = "/{**moclojerPath}";

    public static IServiceCollection AddMockService(IServiceCollection services, MockServiceDefinition definition)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(definition);
        services.AddSingleton(static sp => new MockDispatcher(
            sp.GetRequiredService<MockServiceDefinition>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MockDispatcher>>(),
            sp.GetRequiredService<IRequestJournal>()));
        services.AddOptions<MoclojerRateLimitOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<MoclojerRateLimitOptions>, ConfigureRateLimitOptionsFromConfiguration>(
            static sp => new ConfigureRateLimitOptionsFromConfiguration(sp.GetService<IConfiguration>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MoclojerRateLimitOptions>, ValidateRateLimitOptions>());
        services.AddMetrics();
        services.TryAddSingleton(static sp => new MockRateLimiter(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<MoclojerRateLimitOptions>>().Value,
            sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetService<ILogger<MockRateLimiter>>()));
        AddRequestJournal(services);
        MoclojerHealthEndpointRouteBuilderExtensions.AddHealthOptions(services);
        services.AddHttpClient(MockExternalBody.HttpClientName, static client => client.Timeout = MockExternalBody.FetchTimeout);
        services.AddMoclojerWebhooks();
        return services;
    }

    /// <summary>
    /// Registers the request journal (<see cref="IRequestJournal"/>, options from <c>Moclojer:Requests</c>) and
    /// <see cref="IMockReset"/>. Called by <see cref="AddMockService"/>; calling it again changes nothing.
    /// </summary>
    public static IServiceCollection AddRequestJournal(IServiceCollection services, Action<MoclojerRequestOptions>? configure = null)
    {
        services.AddOptions<MoclojerRequestOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<MoclojerRequestOptions>, ConfigureRequestOptionsFromConfiguration>(
            static sp => new ConfigureRequestOptionsFromConfiguration(sp.GetService<IConfiguration>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MoclojerRequestOptions>, ValidateRequestOptions>());
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.TryAddSingleton<IRequestJournal>(static sp => new RequestJournal(sp.GetRequiredService<IOptions<MoclojerRequestOptions>>().Value));
        services.TryAddSingleton<IMockReset>(static sp => new MockReset(sp));
        return services;
    }

    /// <summary>
    /// Maps one catch-all endpoint ordered after every other endpoint, so a project's own endpoints win and the
    /// mock router decides everything else (404 and 405 included).
    /// </summary>
    public static IEndpointConventionBuilder MapMockService(IEndpointRouteBuilder endpoints)
    {
        var dispatcher = endpoints.ServiceProvider.GetRequiredService<MockDispatcher>();
        var definition = endpoints.ServiceProvider.GetRequiredService<MockServiceDefinition>();
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Moclojer");
        LogServing(logger, definition.Router.Routes.Count, string.Join(", ", definition.SourceFiles));
        // The webhook journal (GET /__moclojer/webhooks unless configured otherwise or disabled).
        endpoints.MapMoclojerWebhookJournal();
        // The request journal and reset (GET /__moclojer/requests, POST /__moclojer/reset unless configured otherwise).
        endpoints.MapMoclojerRequestJournal();
        // The health check (GET /__moclojer/health unless configured otherwise or disabled).
        endpoints.MapMoclojerHealth();
        // WS: websocket items accept upgrades through ASP.NET Core's WebSockets middleware. A WebApplication is
        // both builders; any other host must call app.UseWebSockets() itself. Only requests that can be upgraded go
        // through it: for the others it would allocate and set a feature that can only say "not a WebSocket request".
        if (endpoints is IApplicationBuilder app)
        {
            app.UseWhen(MayBeWebSocketRequest, static branch => branch.UseWebSockets());
        }
        return endpoints.Map(CatchAllPattern, dispatcher.DispatchAsync)
            .WithDisplayName("Moclojer mock endpoints")
            .WithMetadata(MockCatchAllMetadata.Instance)
            .WithOrder(int.MaxValue);
    }

    /// <summary>
    /// What the generated entry point calls before <c>MapMoclojer</c>, in a project with no code of its own: a request
    /// a mock endpoint matches is answered ahead of ASP.NET Core's routing, which then handles only the others (the
    /// built-in endpoints, 404 and 405). The answers are those of the catch-all endpoint, which ranks last anyway; a
    /// request to the path of another endpoint is always left to routing, and with an endpoint whose path has
    /// parameters every request is. Adds <c>UseRouting</c> after itself.
    /// </summary>
    public static void UseMockRoutesFirst(WebApplication app)
    {
        var dispatcher = app.Services.GetRequiredService<MockDispatcher>();
        var router = app.Services.GetRequiredService<MockServiceDefinition>().Router;
        app.Use(next => new MockRoutesFirst(dispatcher, router, app, next).InvokeAsync);
        app.UseRouting();
    }

    /// <summary>An HTTP/1.1 upgrade or an HTTP/2 extended CONNECT: the only requests a WebSocket can be accepted on.</summary>
    internal static bool MayBeWebSocketRequest(HttpContext context) =>
        MayUpgrade(context.Request)
        && (context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
            || context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true);

    /// <summary>
    /// Whether a request may be a WebSocket handshake at all: over HTTP/1.1 it carries <c>Upgrade</c>, over HTTP/2 it
    /// is a <c>CONNECT</c>. Read before any feature, because every request is asked: on Kestrel a feature lookup costs
    /// about as much as both reads together, and two of them were a measurable part of a small request.
    /// </summary>
    internal static bool MayUpgrade(HttpRequest request) =>
        request.Headers.Upgrade.Count > 0 || HttpMethods.IsConnect(request.Method);

    /// <summary>
    /// What the generated entry point calls: the listening address (CLI-1) and Kestrel's request limits from
    /// configuration (<c>Kestrel:Limits:*</c>, e.g. the environment variable
    /// <c>Kestrel__Limits__MaxRequestBodySize</c>), bound by hand so the service stays trim- and AOT-safe.
    /// </summary>
    public static void ConfigureServer(WebApplicationBuilder builder)
    {
        UseDefaultLogLevels(builder);
        UseDefaultAddress(builder);
        var limits = builder.Configuration.GetSection("Kestrel:Limits");
        builder.WebHost.ConfigureKestrel(options =>
        {
            if (long.TryParse(limits["MaxRequestBodySize"], out var body) && body > 0)
            {
                options.Limits.MaxRequestBodySize = body;
            }
            if (int.TryParse(limits["MaxRequestHeadersTotalSize"], out var headers) && headers > 0)
            {
                options.Limits.MaxRequestHeadersTotalSize = headers;
            }
            if (int.TryParse(limits["MaxRequestHeaderCount"], out var count) && count > 0)
            {
                options.Limits.MaxRequestHeaderCount = count;
            }
            if (int.TryParse(limits["MaxRequestLineSize"], out var line) && line > 0)
            {
                options.Limits.MaxRequestLineSize = line;
            }
        });
    }

    /// <summary>
    /// The log levels a mock server starts with when configuration says nothing: ASP.NET Core's per-request lines
    /// (hosting diagnostics, routing) at <c>Warning</c>, as the <c>dotnet new web</c> template's appsettings set them,
    /// so a project without <c>appsettings.json</c> does not print four lines per request. Hosting diagnostics, whose
    /// per-request lines are all <c>Information</c>, are off altogether (a failed start is still logged, by
    /// <c>Microsoft.Extensions.Hosting</c>): while any log of theirs is on, ASP.NET
    /// Core opens a log scope and starts an <see cref="System.Diagnostics.Activity"/> for every request, about a tenth
    /// of a small request's cost. A configured level for <c>Microsoft.AspNetCore</c>, <c>Microsoft.AspNetCore.Hosting</c>
    /// or <c>Microsoft.AspNetCore.Hosting.Diagnostics</c> brings them back (tracing listeners get their activity
    /// whatever the level). These defaults sit below every other configuration source: <c>appsettings.json</c>,
    /// environment variables (<c>Logging__LogLevel__Microsoft.AspNetCore</c>) and the command line still win.
    /// </summary>
    public static void UseDefaultLogLevels(WebApplicationBuilder builder)
    {
        var levels = builder.Configuration.GetSection("Logging:LogLevel");
        var hostingConfigured = levels[AspNetCoreCategory] is not null
            || levels[AspNetCoreCategory + ".Hosting"] is not null
            || levels[HostingDiagnosticsCategory] is not null;
        List<KeyValuePair<string, string?>> defaults = [new("Logging:LogLevel:" + AspNetCoreCategory, "Warning")];
        if (!hostingConfigured)
        {
            defaults.Add(new("Logging:LogLevel:" + HostingDiagnosticsCategory, "None"));
        }
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = defaults });
    }

    private const string AspNetCoreCategory = "Microsoft.AspNetCore";
    private const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// CLI-1: ASP.NET Core's own settings (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>,
    /// Kestrel endpoints) win; otherwise listen on <c>HOST</c> (default 0.0.0.0) and <c>PORT</c> (default 8000).
    /// </summary>
    public static void UseDefaultAddress(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (!string.IsNullOrEmpty(configuration["urls"])
            || !string.IsNullOrEmpty(configuration["http_ports"])
            || !string.IsNullOrEmpty(configuration["https_ports"])
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            return;
        }
        var host = Environment.GetEnvironmentVariable("HOST");
        var port = Environment.GetEnvironmentVariable("PORT");
        if (string.IsNullOrWhiteSpace(host))
        {
            host = "0.0.0.0";
        }
        if (string.IsNullOrWhiteSpace(port))
        {
            port = "8000";
        }
        if (host.Contains(':') && !host.StartsWith('['))
        {
            host = "[" + host + "]";
        }
        builder.WebHost.UseUrls($"http://{host}:{port}");
    }

    [LoggerMessage(10, LogLevel.Information, "Serving {Count} mock endpoints compiled from {Files}")]
    private static partial void LogServing(ILogger logger, int count, string files);
}
