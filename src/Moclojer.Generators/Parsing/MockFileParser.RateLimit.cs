using System.Globalization;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>An endpoint's <c>rate-limit</c> (RL-1 to RL-7).</summary>
internal sealed partial class MockFileParser
{
    private static readonly string[] RateLimitKeys = ["window-ms", "max-requests", "key-fn"];

    /// <summary>RL-7: <c>window-ms</c> (default 900000) and <c>max-requests</c> (default 100); RL-4: <c>key-fn</c>.</summary>
    private RateLimitSpec? ReadRateLimit(YamlScalarNode key, YamlNode node)
    {
        if (IsNull(node))
        {
            return new RateLimitSpec(MockDefaults.RateLimitWindowMilliseconds, MockDefaults.RateLimitMaxRequests, null);
        }
        if (node is not YamlMappingNode mapping)
        {
            Report(DiagnosticKind.InvalidValueType, At(key), "rate-limit", "a mapping (window-ms, max-requests, key-fn)", Describe(node));
            return null;
        }
        var keys = Keys(mapping, "a rate-limit", RateLimitKeys);
        var values = new long[] { MockDefaults.RateLimitWindowMilliseconds, MockDefaults.RateLimitMaxRequests };
        var names = new[] { "window-ms", "max-requests" };
        for (var i = 0; i < names.Length; i++)
        {
            if (keys.TryGetValue(names[i], out var entry))
            {
                var text = entry.Value is YamlScalarNode s ? (s.Value ?? string.Empty).Trim() : Describe(entry.Value);
                if (!(entry.Value is YamlScalarNode && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0 && number <= int.MaxValue))
                {
                    Report(DiagnosticKind.InvalidRateLimit, ValueAt(entry.Key, entry.Value), names[i], text);
                    continue;
                }
                values[i] = number;
            }
        }
        string? header = null;
        if (keys.TryGetValue("key-fn", out var keyFn) && TryText(keyFn.Key, keyFn.Value, "'remote-addr' or a header name", out var keyScalar) && !IsNull(keyScalar))
        {
            var name = (keyScalar.Value ?? string.Empty).Trim();
            if (name.Length == 0 || !IsToken(name))
            {
                Report(DiagnosticKind.InvalidValueType, ValueAt(keyFn.Key, keyScalar), "key-fn", "'remote-addr' or a header name such as X-Api-Key", "'" + name + "'");
            }
            else if (name != "remote-addr")
            {
                header = name;
            }
        }
        return new RateLimitSpec(values[0], (int)values[1], header);
    }
}
