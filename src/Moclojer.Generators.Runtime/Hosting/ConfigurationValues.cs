using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Moclojer.Runtime;

/// <summary>
/// Typed reads of the mock's options from configuration, by hand (the reflection binder is neither trim- nor
/// AOT-safe). An absent or blank value is null; a malformed one stops the start-up with a message naming the key.
/// </summary>
internal static class ConfigurationValues
{
    public static int? ReadInt(this IConfigurationSection section, string key) =>
        Read<int>(section, key, static text => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null, "an integer");

    public static long? ReadLong(this IConfigurationSection section, string key) =>
        Read<long>(section, key, static text => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null, "an integer");

    public static bool? ReadBool(this IConfigurationSection section, string key) =>
        Read<bool>(section, key, static text => bool.TryParse(text, out var value) ? value : null, "true or false");

    private static T? Read<T>(IConfigurationSection section, string key, Func<string, T?> parse, string expected)
        where T : struct
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return parse(text) ?? throw new InvalidOperationException($"Configuration value '{section.Path}:{key}' must be {expected}, not '{text}'.");
    }
}
