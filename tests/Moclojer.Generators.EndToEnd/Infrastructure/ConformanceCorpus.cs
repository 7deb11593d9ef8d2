namespace Moclojer.Generators.EndToEnd.Infrastructure;

/// <summary>The corpus folder (RepoLayout.ConformanceDir) and its cases, in name order.</summary>
public static class ConformanceCorpus
{
    private static readonly Lazy<IReadOnlyList<ConformanceCase>> LazyRuntime = new(() => Load("cases", CaseKind.Runtime));
    private static readonly Lazy<IReadOnlyList<ConformanceCase>> LazyBad = new(() => Load("bad", CaseKind.Bad));

    public static string Dir => RepoLayout.ConformanceDir;

    public static bool Exists => Directory.Exists(Path.Combine(Dir, "cases")) && Directory.Exists(Path.Combine(Dir, "bad"));

    /// <summary>Why the corpus is unusable, for a failing (never passing) test.</summary>
    public static string MissingMessage =>
        $"Conformance corpus not found at '{Dir}' (needs cases/ and bad/). It is kept in the repository " +
        $"at tests/conformance; {RepoLayout.ConformanceDirVariable} points the tests at another copy.";

    public static IReadOnlyList<ConformanceCase> RuntimeCases => LazyRuntime.Value;

    public static IReadOnlyList<ConformanceCase> BadCases => LazyBad.Value;

    public static IEnumerable<ConformanceCase> All => RuntimeCases.Concat(BadCases);

    public static ConformanceCase Get(CaseKind kind, string name) =>
        (kind == CaseKind.Runtime ? RuntimeCases : BadCases).SingleOrDefault(c => c.Name == name)
        ?? throw new InvalidOperationException($"No {kind} case named '{name}' in {Dir}.");

    private static IReadOnlyList<ConformanceCase> Load(string sub, CaseKind kind)
    {
        var root = Path.Combine(Dir, sub);
        if (!Directory.Exists(root))
        {
            return [];
        }

        return Directory.GetDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, "mocks.yml")))
            .OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal)
            .Select(d => new ConformanceCase(d, kind))
            .ToList();
    }
}
