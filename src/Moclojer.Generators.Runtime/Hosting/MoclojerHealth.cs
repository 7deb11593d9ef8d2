using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Moclojer.Runtime;

/// <summary>
/// Options of the health endpoint, read from the configuration section <c>Moclojer:Health</c>
/// (<see cref="ConfigurationSectionName"/>), then from code (which wins).
/// </summary>
/// <example><code>"Moclojer": { "Health": { "Enabled": true, "Path": "/__moclojer/health" } }</code></example>
public sealed class MoclojerHealthOptions
{
    /// <summary>The configuration section the options are read from: <c>Moclojer:Health</c>.</summary>
    public const string ConfigurationSectionName = "Moclojer:Health";

    public const string DefaultPath = "/__moclojer/health";

    /// <summary>Whether <c>GET</c> <see cref="Path"/> is served. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The path of the health endpoint. Default <c>/__moclojer/health</c>.</summary>
    public string Path { get; set; } = DefaultPath;
}

/// <summary>The health endpoint, for container and orchestrator health checks.</summary>
public static class MoclojerHealthEndpointRouteBuilderExtensions
{
    private static readonly byte[] OkBody = """{"status":"ok"}"""u8.ToArray();

    /// <summary>
    /// Maps <c>GET /__moclojer/health</c> (<see cref="MoclojerHealthOptions.Path"/>), answered 200
    /// <c>{"status":"ok"}</c> once the service is up, unless <see cref="MoclojerHealthOptions.Enabled"/> is false.
    /// It is an ordinary endpoint, so it wins over the mock's catch-all endpoint (ordered last); a mock file that
    /// needs that path itself moves or removes it by configuration.
    /// </summary>
    public static void MapMoclojerHealth(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetService<IOptions<MoclojerHealthOptions>>()?.Value ?? new MoclojerHealthOptions();
        if (!options.Enabled)
        {
            return;
        }

        RequestDelegate health = static context =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return MockResponses.WriteStaticAsync(context, StatusCodes.Status200OK, MockResponses.JsonContentType, OkBody);
        };
        endpoints.MapMethods(options.Path, ["GET", "HEAD"], health).WithDisplayName("Moclojer health");
    }

    /// <summary>Registers <see cref="MoclojerHealthOptions"/> (from <c>Moclojer:Health</c>). Called by <see cref="MoclojerHosting.AddMockService"/>.</summary>
    internal static void AddHealthOptions(IServiceCollection services)
    {
        services.AddOptions<MoclojerHealthOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<MoclojerHealthOptions>, ConfigureHealthOptionsFromConfiguration>(
            static sp => new ConfigureHealthOptionsFromConfiguration(sp.GetService<IConfiguration>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MoclojerHealthOptions>, ValidateHealthOptions>());
    }
}

/// <summary>Reads <see cref="MoclojerHealthOptions"/> from configuration by hand (trim and AOT safe).</summary>
internal sealed class ConfigureHealthOptionsFromConfiguration(IConfiguration? configuration) : IConfigureOptions<MoclojerHealthOptions>
{
    public void Configure(MoclojerHealthOptions options)
    {
        var section = configuration?.GetSection(MoclojerHealthOptions.ConfigurationSectionName);
        if (section is null || !section.Exists())
        {
            return;
        }
        if (section[nameof(MoclojerHealthOptions.Enabled)] is { } enabledText && !string.IsNullOrWhiteSpace(enabledText))
        {
            options.Enabled = bool.TryParse(enabledText, out var enabled)
                ? enabled
                : throw new InvalidOperationException($"Configuration value '{section.Path}:{nameof(MoclojerHealthOptions.Enabled)}' must be true or false, not '{enabledText}'.");
        }
        if (section[nameof(MoclojerHealthOptions.Path)] is { Length: > 0 } path)
        {
            options.Path = path;
        }
    }
}

/// <summary>Rejects a health path that does not start with '/'.</summary>
internal sealed class ValidateHealthOptions : IValidateOptions<MoclojerHealthOptions>
{
    public ValidateOptionsResult Validate(string? name, MoclojerHealthOptions options) =>
        string.IsNullOrEmpty(options.Path) || options.Path[0] != '/'
            ? ValidateOptionsResult.Fail($"{nameof(options.Path)} must start with '/' (it is '{options.Path}').")
            : ValidateOptionsResult.Success;
}
