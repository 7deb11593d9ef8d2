using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Moclojer.Generators.EndToEnd.Infrastructure;

/// <summary>
/// The corpus's JSON matching rules (conformance README 1.4): exact or subset comparison of objects, ordered
/// arrays, numbers by value, and the matchers {"$regex": "..."} and {"$any": true}.
/// Returns every difference found, each with a JSON-path-like location, so one failure explains the whole body.
/// </summary>
public static class JsonMatcher
{
    /// <param name="expected">The expectation from case.json.</param>
    /// <param name="actual">The parsed body.</param>
    /// <param name="subset">json_subset: objects may have extra keys, recursively (arrays keep their length).</param>
    public static IReadOnlyList<string> Compare(JsonElement expected, JsonElement actual, bool subset)
    {
        var errors = new List<string>();
        Match(expected, actual, subset, "$", errors);
        return errors;
    }

    /// <summary>A header value check: an exact, case-sensitive string or {"$regex": ...}.</summary>
    public static string? CompareHeaderValue(JsonElement expected, string actual)
    {
        if (TryGetMatcher(expected, out var name, out var arg))
        {
            return name switch
            {
                "$regex" => RegexMatches(arg, actual) ? null : $"'{actual}' does not match regex {arg.GetRawText()}",
                "$any" => null,
                _ => $"unknown matcher '{name}'",
            };
        }

        var exact = expected.ValueKind == JsonValueKind.String ? expected.GetString() : expected.GetRawText();
        return string.Equals(exact, actual, StringComparison.Ordinal) ? null : $"expected '{exact}', got '{actual}'";
    }

    /// <summary>An object with exactly one key, starting with '$', is a matcher rather than a literal.</summary>
    public static bool TryGetMatcher(JsonElement e, out string name, out JsonElement argument)
    {
        name = "";
        argument = default;
        if (e.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        using var props = e.EnumerateObject();
        if (!props.MoveNext() || !props.Current.Name.StartsWith('$'))
        {
            return false;
        }

        var first = props.Current;
        if (props.MoveNext())
        {
            return false;
        }

        name = first.Name;
        argument = first.Value;
        return true;
    }

    private static void Match(JsonElement expected, JsonElement actual, bool subset, string at, List<string> errors)
    {
        if (TryGetMatcher(expected, out var matcher, out var arg))
        {
            switch (matcher)
            {
                case "$any":
                    return; // presence was checked by the caller
                case "$regex":
                    if (actual.ValueKind != JsonValueKind.String)
                    {
                        errors.Add($"{at}: expected a string matching {arg.GetRawText()}, got {Show(actual)}");
                    }
                    else if (!RegexMatches(arg, actual.GetString()!))
                    {
                        errors.Add($"{at}: {Show(actual)} does not match regex {arg.GetRawText()}");
                    }

                    return;
                default:
                    errors.Add($"{at}: unknown matcher '{matcher}' in the expectation");
                    return;
            }
        }

        if (expected.ValueKind != actual.ValueKind && !(IsBool(expected) && IsBool(actual)))
        {
            errors.Add($"{at}: expected {Show(expected)}, got {Show(actual)}");
            return;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                MatchObject(expected, actual, subset, at, errors);
                break;
            case JsonValueKind.Array:
                MatchArray(expected, actual, subset, at, errors);
                break;
            case JsonValueKind.Number:
                if (!NumbersEqual(expected, actual))
                {
                    errors.Add($"{at}: expected number {expected.GetRawText()}, got {actual.GetRawText()}");
                }

                break;
            case JsonValueKind.String:
                if (!string.Equals(expected.GetString(), actual.GetString(), StringComparison.Ordinal))
                {
                    errors.Add($"{at}: expected {Show(expected)}, got {Show(actual)}");
                }

                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                if (expected.ValueKind != actual.ValueKind)
                {
                    errors.Add($"{at}: expected {Show(expected)}, got {Show(actual)}");
                }

                break;
            default:
                // null: kinds already agree.
                break;
        }
    }

    private static void MatchObject(JsonElement expected, JsonElement actual, bool subset, string at, List<string> errors)
    {
        var actualProps = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var p in actual.EnumerateObject())
        {
            actualProps.TryAdd(p.Name, p.Value);
        }

        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in expected.EnumerateObject())
        {
            expectedNames.Add(p.Name);
            var where = $"{at}.{p.Name}";
            if (!actualProps.TryGetValue(p.Name, out var value))
            {
                errors.Add($"{where}: missing (expected {Show(p.Value)})");
                continue;
            }

            Match(p.Value, value, subset, where, errors);
        }

        if (!subset)
        {
            var extra = actualProps.Keys.Where(k => !expectedNames.Contains(k)).ToList();
            if (extra.Count > 0)
            {
                errors.Add($"{at}: unexpected key(s) {string.Join(", ", extra.Select(k => $"'{k}'"))}");
            }
        }
    }

    private static void MatchArray(JsonElement expected, JsonElement actual, bool subset, string at, List<string> errors)
    {
        // Length and order always matter, also under json_subset (README 1.4).
        var e = expected.EnumerateArray().ToList();
        var a = actual.EnumerateArray().ToList();
        if (e.Count != a.Count)
        {
            errors.Add($"{at}: expected an array of {e.Count} element(s), got {a.Count}: {Show(actual)}");
            return;
        }

        for (var i = 0; i < e.Count; i++)
        {
            Match(e[i], a[i], subset, $"{at}[{i}]", errors);
        }
    }

    private static bool NumbersEqual(JsonElement x, JsonElement y)
    {
        var xs = x.GetRawText();
        var ys = y.GetRawText();
        const NumberStyles style = NumberStyles.Float;
        // decimal is exact for everything the corpus uses (3 = 3.0, 1e2 = 100); double covers huge exponents.
        if (decimal.TryParse(xs, style, CultureInfo.InvariantCulture, out var dx)
            && decimal.TryParse(ys, style, CultureInfo.InvariantCulture, out var dy))
        {
            return dx == dy;
        }

        return double.TryParse(xs, style, CultureInfo.InvariantCulture, out var fx)
            && double.TryParse(ys, style, CultureInfo.InvariantCulture, out var fy)
            && fx.Equals(fy);
    }

    private static bool RegexMatches(JsonElement pattern, string value) =>
        pattern.ValueKind == JsonValueKind.String
        && Regex.IsMatch(value, pattern.GetString()!, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));

    private static bool IsBool(JsonElement e) => e.ValueKind is JsonValueKind.True or JsonValueKind.False;

    /// <summary>A short rendering of a value for messages.</summary>
    public static string Show(JsonElement e)
    {
        var text = e.GetRawText();
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
