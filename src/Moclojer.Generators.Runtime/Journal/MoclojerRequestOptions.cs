using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Moclojer.Runtime;

/// <summary>
/// Options of the request journal and of the test endpoints, read from the configuration section
/// <c>Moclojer:Requests</c> (<see cref="ConfigurationSectionName"/>), then from code (which wins).
/// </summary>
/// <example>
/// <code>
/// "Moclojer": { "Requests": {
///     "Capacity": 1000, "MaxBodyBytes": 65536,
///     "JournalEnabled": true, "JournalPath": "/__moclojer/requests",
///     "ResetEnabled": true, "ResetPath": "/__moclojer/reset"
/// } }
/// </code>
/// </example>
public sealed class MoclojerRequestOptions
{
    /// <summary>The configuration section the options are read from: <c>Moclojer:Requests</c>.</summary>
    public const string ConfigurationSectionName = "Moclojer:Requests";

    public const int DefaultCapacity = 1000;
    public const int DefaultMaxBodyBytes = 64 * 1024;
    public const string DefaultJournalPath = "/__moclojer/requests";
    public const string DefaultResetPath = "/__moclojer/reset";

    /// <summary>
    /// How many requests the journal keeps (the oldest are forgotten first). Default 1000. 0 turns recording off:
    /// nothing is recorded and no request body is read for the journal.
    /// </summary>
    public int Capacity { get; set; } = DefaultCapacity;

    /// <summary>How many body bytes a record keeps; longer bodies are truncated and say so. Default 64 KiB.</summary>
    public int MaxBodyBytes { get; set; } = DefaultMaxBodyBytes;

    /// <summary>Whether <c>GET</c> <see cref="JournalPath"/> is served. Default true. The journal itself is kept either way.</summary>
    public bool JournalEnabled { get; set; } = true;

    /// <summary>The path of the journal endpoint. Default <c>/__moclojer/requests</c>.</summary>
    public string JournalPath { get; set; } = DefaultJournalPath;

    /// <summary>Whether <c>POST</c> <see cref="ResetPath"/> is served. Default true.</summary>
    public bool ResetEnabled { get; set; } = true;

    /// <summary>The path of the reset endpoint. Default <c>/__moclojer/reset</c>.</summary>
    public string ResetPath { get; set; } = DefaultResetPath;
}

/// <summary>Reads <see cref="MoclojerRequestOptions"/> from configuration by hand (trim and AOT safe).</summary>
internal sealed class ConfigureRequestOptionsFromConfiguration(IConfiguration? configuration) : IConfigureOptions<MoclojerRequestOptions>
{
    public void Configure(MoclojerRequestOptions options)
    {
        var section = configuration?.GetSection(MoclojerRequestOptions.ConfigurationSectionName);
        if (section is null || !section.Exists())
        {
            return;
        }
        if (section.ReadInt(nameof(MoclojerRequestOptions.Capacity)) is { } capacity)
        {
            options.Capacity = capacity;
        }
        if (section.ReadInt(nameof(MoclojerRequestOptions.MaxBodyBytes)) is { } maxBody)
        {
            options.MaxBodyBytes = maxBody;
        }
        if (section.ReadBool(nameof(MoclojerRequestOptions.JournalEnabled)) is { } journal)
        {
            options.JournalEnabled = journal;
        }
        if (section[nameof(MoclojerRequestOptions.JournalPath)] is { Length: > 0 } journalPath)
        {
            options.JournalPath = journalPath;
        }
        if (section.ReadBool(nameof(MoclojerRequestOptions.ResetEnabled)) is { } reset)
        {
            options.ResetEnabled = reset;
        }
        if (section[nameof(MoclojerRequestOptions.ResetPath)] is { Length: > 0 } resetPath)
        {
            options.ResetPath = resetPath;
        }
    }
}

/// <summary>Rejects option values the journal cannot work with.</summary>
internal sealed class ValidateRequestOptions : IValidateOptions<MoclojerRequestOptions>
{
    public ValidateOptionsResult Validate(string? name, MoclojerRequestOptions options)
    {
        List<string>? failures = null;
        if (options.Capacity < 0)
        {
            (failures ??= []).Add($"{nameof(options.Capacity)} must not be negative (it is {options.Capacity}).");
        }
        if (options.MaxBodyBytes < 0)
        {
            (failures ??= []).Add($"{nameof(options.MaxBodyBytes)} must not be negative (it is {options.MaxBodyBytes}).");
        }
        if (string.IsNullOrEmpty(options.JournalPath) || options.JournalPath[0] != '/')
        {
            (failures ??= []).Add($"{nameof(options.JournalPath)} must start with '/' (it is '{options.JournalPath}').");
        }
        if (string.IsNullOrEmpty(options.ResetPath) || options.ResetPath[0] != '/')
        {
            (failures ??= []).Add($"{nameof(options.ResetPath)} must start with '/' (it is '{options.ResetPath}').");
        }
        return failures is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
