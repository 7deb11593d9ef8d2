using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Moclojer.Runtime.Webhooks;

/// <summary>
/// Options of the webhook dispatcher. They are read from the configuration section
/// <c>Moclojer:Webhooks</c> (<see cref="ConfigurationSectionName"/>) when an <see cref="IConfiguration"/> is registered,
/// and then from the delegate given to
/// <see cref="WebhookServiceCollectionExtensions.AddMoclojerWebhooks"/>, which wins.
/// </summary>
/// <example>
/// <code>
/// "Moclojer": { "Webhooks": {
///     "MaxPending": 100000, "JournalCapacity": 1000, "JournalEnabled": true,
///     "JournalPath": "/__moclojer/webhooks", "AllowedHosts": [ "hooks.example.com", "*.partner.test", "127.0.0.1:9977" ]
/// } }
/// </code>
/// </example>
public sealed class MoclojerWebhookOptions
{
    /// <summary>The configuration section the options are read from: <c>Moclojer:Webhooks</c>.</summary>
    public const string ConfigurationSectionName = "Moclojer:Webhooks";

    /// <summary>The default of <see cref="MaxPending"/>.</summary>
    public const int DefaultMaxPending = 100_000;

    /// <summary>The default of <see cref="MaxPendingBytes"/>: 64 MiB.</summary>
    public const long DefaultMaxPendingBytes = 64L * 1024 * 1024;

    /// <summary>The default of <see cref="JournalCapacity"/>.</summary>
    public const int DefaultJournalCapacity = 1000;

    /// <summary>The default of <see cref="JournalPath"/>.</summary>
    public const string DefaultJournalPath = "/__moclojer/webhooks";

    /// <summary>
    /// The most webhooks that may await an outcome at once (waiting for their delay, waiting behind an earlier entry of
    /// their group, or being sent). An entry dispatched while the cap is reached is not scheduled: it is counted
    /// (<c>moclojer.webhook.dropped</c>), logged at warning level and recorded in the journal as
    /// <see cref="WebhookOutcome.Dropped"/>. Default 100,000; at least 1.
    /// </summary>
    public int MaxPending { get; set; } = DefaultMaxPending;

    /// <summary>
    /// The most bytes pending webhooks may hold at once: each entry counts its rendered body plus two bytes per character
    /// of its url and headers. An entry that would go past it is dropped like one past <see cref="MaxPending"/>
    /// (counted, logged, journaled as <see cref="WebhookOutcome.Dropped"/>); a single entry larger than the budget is
    /// always dropped. Default 64 MiB; at least 1.
    /// </summary>
    public long MaxPendingBytes { get; set; } = DefaultMaxPendingBytes;

    /// <summary>How many records the in-memory delivery journal keeps (the oldest are discarded first). Default 1000; 0 keeps none.</summary>
    public int JournalCapacity { get; set; } = DefaultJournalCapacity;

    /// <summary>
    /// Whether <see cref="WebhookEndpointRouteBuilderExtensions.MapMoclojerWebhookJournal"/> maps the journal endpoint.
    /// Default <see langword="true"/>. The journal itself is always kept and readable from code.
    /// </summary>
    public bool JournalEnabled { get; set; } = true;

    /// <summary>The path of the journal endpoint (<c>GET</c>, JSON). Default <c>/__moclojer/webhooks</c>.</summary>
    public string JournalPath { get; set; } = DefaultJournalPath;

    /// <summary>
    /// The hosts webhooks may be sent to. Empty (the default) allows every host. An entry is a host name or IP address
    /// (<c>hooks.example.com</c>, <c>127.0.0.1</c>, <c>[::1]</c>), optionally with a port (<c>127.0.0.1:9977</c>; without
    /// one every port is allowed), or <c>*.example.com</c> for every subdomain of <c>example.com</c>, or <c>*</c> for
    /// all. Names compare case-insensitively. The list applies to absolute and callback urls (W-3, W-15); a refused
    /// webhook is not sent and is recorded as <see cref="WebhookOutcome.Failed"/> with the reason. Relative urls
    /// (W-14) only reach this service itself; see <see cref="CheckRelativeUrlsAgainstAllowedHosts"/>.
    /// </summary>
    public IList<string> AllowedHosts { get; } = new List<string>();

    /// <summary>
    /// Whether relative urls (W-14) are also checked against <see cref="AllowedHosts"/>, by the local address they are
    /// sent to. Default <see langword="false"/>: a relative webhook can only reach the address that received its
    /// trigger, so it is always allowed, and chains keep working when the local address is not known in advance.
    /// </summary>
    public bool CheckRelativeUrlsAgainstAllowedHosts { get; set; }

    /// <summary>
    /// Whether callback urls (W-15, taken from the request) are also refused when they reach loopback, private
    /// (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7), shared (100.64.0.0/10) or unspecified addresses. Default
    /// <see langword="false"/>: tests call back to localhost. Link-local addresses (169.254.0.0/16, fe80::/10) and known
    /// cloud metadata names and addresses are always refused for callback urls. The check applies to the address the
    /// name resolves to, when connecting; a refused webhook is not sent and is recorded as
    /// <see cref="WebhookOutcome.Failed"/> with the error type <c>callback_refused</c> and the reason.
    /// </summary>
    public bool DenyPrivateCallbackAddresses { get; set; }

    /// <summary>
    /// How long after shutdown begins webhooks are still sent. <see langword="null"/> (the default) uses the host's
    /// <c>HostOptions.ShutdownTimeout</c> (30 s unless configured). See <see cref="WebhookDispatcher.StopAsync"/>.
    /// </summary>
    public TimeSpan? ShutdownGracePeriod { get; set; }

    /// <summary>
    /// Where the delays of <c>sleep-time: {min, max}</c> (W-22) come from. <see langword="null"/> (the default) uses
    /// <see cref="System.Random.Shared"/>; a test can give a seeded <see cref="System.Random"/> (or a subclass) for
    /// delays it knows in advance. Only <see cref="System.Random.NextDouble"/> is called, under a lock. Not read from configuration.
    /// </summary>
    public Random? SleepTimeRandom { get; set; }
}

/// <summary>Reads <see cref="MoclojerWebhookOptions"/> from configuration by hand (no reflection-based binder: trim/AOT safe).</summary>
internal sealed class ConfigureWebhookOptionsFromConfiguration(IConfiguration? configuration) : IConfigureOptions<MoclojerWebhookOptions>
{
    public void Configure(MoclojerWebhookOptions options)
    {
        if (configuration is null)
        {
            return;
        }

        var section = configuration.GetSection(MoclojerWebhookOptions.ConfigurationSectionName);
        if (!section.Exists())
        {
            return;
        }

        if (section.ReadInt(nameof(MoclojerWebhookOptions.MaxPending)) is { } maxPending)
        {
            options.MaxPending = maxPending;
        }

        if (section.ReadLong(nameof(MoclojerWebhookOptions.MaxPendingBytes)) is { } maxPendingBytes)
        {
            options.MaxPendingBytes = maxPendingBytes;
        }

        if (section.ReadInt(nameof(MoclojerWebhookOptions.JournalCapacity)) is { } capacity)
        {
            options.JournalCapacity = capacity;
        }

        if (section.ReadBool(nameof(MoclojerWebhookOptions.JournalEnabled)) is { } enabled)
        {
            options.JournalEnabled = enabled;
        }

        if (section[nameof(MoclojerWebhookOptions.JournalPath)] is { Length: > 0 } path)
        {
            options.JournalPath = path;
        }

        if (section.ReadBool(nameof(MoclojerWebhookOptions.CheckRelativeUrlsAgainstAllowedHosts)) is { } checkRelative)
        {
            options.CheckRelativeUrlsAgainstAllowedHosts = checkRelative;
        }

        if (section.ReadBool(nameof(MoclojerWebhookOptions.DenyPrivateCallbackAddresses)) is { } denyPrivate)
        {
            options.DenyPrivateCallbackAddresses = denyPrivate;
        }

        if (section[nameof(MoclojerWebhookOptions.ShutdownGracePeriod)] is { Length: > 0 } grace)
        {
            options.ShutdownGracePeriod = ParseDuration(section.Path + ":" + nameof(MoclojerWebhookOptions.ShutdownGracePeriod), grace);
        }

        var hosts = section.GetSection(nameof(MoclojerWebhookOptions.AllowedHosts));
        if (hosts.Value is { Length: > 0 } list)
        {
            // A single string: "a.example, b.example" (handy in environment variables).
            foreach (var host in list.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.AllowedHosts.Add(host);
            }
        }

        foreach (var child in hosts.GetChildren())
        {
            if (child.Value is { Length: > 0 } host)
            {
                options.AllowedHosts.Add(host.Trim());
            }
        }
    }

    /// <summary>Seconds (<c>15</c>, <c>2.5</c>) or a <see cref="TimeSpan"/> (<c>00:00:15</c>).</summary>
    private static TimeSpan ParseDuration(string key, string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span)
            ? span
            : throw new InvalidOperationException($"Configuration value '{key}' must be a number of seconds or a time span, not '{text}'.");
    }
}

/// <summary>Rejects option values the dispatcher cannot work with.</summary>
internal sealed class ValidateWebhookOptions : IValidateOptions<MoclojerWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, MoclojerWebhookOptions options)
    {
        List<string>? failures = null;
        if (options.MaxPending < 1)
        {
            (failures ??= []).Add($"{nameof(options.MaxPending)} must be at least 1 (it is {options.MaxPending}).");
        }

        if (options.MaxPendingBytes < 1)
        {
            (failures ??= []).Add($"{nameof(options.MaxPendingBytes)} must be at least 1 (it is {options.MaxPendingBytes}).");
        }

        if (options.JournalCapacity < 0)
        {
            (failures ??= []).Add($"{nameof(options.JournalCapacity)} must not be negative (it is {options.JournalCapacity}).");
        }

        if (string.IsNullOrEmpty(options.JournalPath) || options.JournalPath[0] != '/')
        {
            (failures ??= []).Add($"{nameof(options.JournalPath)} must start with '/' (it is '{options.JournalPath}').");
        }

        if (options.ShutdownGracePeriod is { } grace && grace < TimeSpan.Zero)
        {
            (failures ??= []).Add($"{nameof(options.ShutdownGracePeriod)} must not be negative.");
        }

        foreach (var host in options.AllowedHosts)
        {
            if (!HostAllowList.TryParseEntry(host, out _))
            {
                (failures ??= []).Add($"{nameof(options.AllowedHosts)} entry '{host}' is not a host name, an IP address, host:port, *.domain or *.");
            }
        }

        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
