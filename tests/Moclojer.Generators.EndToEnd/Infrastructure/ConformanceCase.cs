using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.EndToEnd.Infrastructure;

public enum CaseKind
{
    /// <summary>cases/NN-name: mocks.yml + case.json, built and run.</summary>
    Runtime,

    /// <summary>bad/NN-name: mocks.yml + expect.json, must fail to build at the expected line.</summary>
    Bad,
}

/// <summary>One folder of the conformance corpus.</summary>
public sealed class ConformanceCase
{
    private readonly Lazy<IReadOnlySet<string>> _features;
    private readonly Lazy<BadExpectation> _badExpectation;

    public ConformanceCase(string dir, CaseKind kind)
    {
        Dir = Path.GetFullPath(dir);
        Name = Path.GetFileName(Dir);
        Kind = kind;
        _features = new Lazy<IReadOnlySet<string>>(() => DetectFeatures(MocksPath));
        _badExpectation = new Lazy<BadExpectation>(() => BadExpectation.Load(Path.Combine(Dir, "expect.json")));
    }

    public string Name { get; }

    public string Dir { get; }

    public CaseKind Kind { get; }

    public string MocksPath => Path.Combine(Dir, "mocks.yml");

    /// <summary>A valid project/assembly name: case folders start with digits and contain dashes.</summary>
    public string ProjectName =>
        (Kind == CaseKind.Runtime ? "Case_" : "Bad_") + Regex.Replace(Name, "[^A-Za-z0-9]", "_");

    /// <summary>Gated features (SupportedFeatures.GatedFeatures) used anywhere in mocks.yml as a mapping key.</summary>
    public IReadOnlySet<string> Features => _features.Value;

    public BadExpectation BadExpectation => _badExpectation.Value;

    /// <summary>Why this case is skipped, or null when it runs.</summary>
    public string? SkipReason
    {
        get
        {
            if (Kind == CaseKind.Runtime)
            {
                var missing = FirstUnsupportedFeature;
                return missing == null ? null : $"needs feature '{missing}', not in SupportedFeatures.RuntimeFeatures yet";
            }

            var kind = BadExpectation.DiagnosticKind;
            return SupportedFeatures.DiagnosticCodes.Contains(kind)
                ? null
                : $"diagnostic kind '{kind}' is not in SupportedFeatures.DiagnosticCodes yet";
        }
    }

    public string? FirstUnsupportedFeature =>
        SupportedFeatures.GatedFeatures.FirstOrDefault(f => Features.Contains(f) && !SupportedFeatures.RuntimeFeatures.Contains(f));

    public CaseDefinition LoadDefinition() => CaseDefinition.Load(Path.Combine(Dir, "case.json"));

    public override string ToString() => Name;

    private static IReadOnlySet<string> DetectFeatures(string mocksPath)
    {
        var text = File.ReadAllText(mocksPath);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            // A real YAML parse, so that the words inside a body (a block scalar) never count as keys.
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            foreach (var doc in stream.Documents)
            {
                CollectKeys(doc.RootNode, keys);
            }
        }
        catch (Exception)
        {
            // Unparseable (only bad cases, which are not gated by feature): fall back to a line scan.
            foreach (Match m in Regex.Matches(text, @"^\s*(?:-\s+)?([A-Za-z-]+)\s*:", RegexOptions.Multiline))
            {
                keys.Add(m.Groups[1].Value);
            }
        }

        keys.IntersectWith(SupportedFeatures.GatedFeatures);
        return keys;
    }

    private static void CollectKeys(YamlNode node, HashSet<string> keys)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    if (key is YamlScalarNode { Value: { } k })
                    {
                        keys.Add(k);
                    }

                    CollectKeys(value, keys);
                }

                break;
            case YamlSequenceNode seq:
                foreach (var child in seq.Children)
                {
                    CollectKeys(child, keys);
                }

                break;
        }
    }
}

/// <summary>expect.json of a bad/ case.</summary>
public sealed record BadExpectation(string DiagnosticKind, int Line, string Description)
{
    public static BadExpectation Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = doc.RootElement;
        return new BadExpectation(
            root.GetProperty("diagnostic_contains").GetString() ?? "",
            root.GetProperty("line").GetInt32(),
            root.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "");
    }
}
