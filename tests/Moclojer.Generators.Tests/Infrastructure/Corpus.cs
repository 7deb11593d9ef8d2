namespace Moclojer.Generators.Tests.Infrastructure;

/// <summary>
/// Finds the repository and its conformance corpus. The tests read the copy kept in the repository
/// (tests/conformance), so a fresh clone passes on its own; MOCLOJER_CONFORMANCE_DIR points them elsewhere.
/// </summary>
public static class Corpus
{
    public const string ConformanceDirVariable = "MOCLOJER_CONFORMANCE_DIR";

    /// <summary>Where the published corpus is looked for, to check the in-repository copy against it.</summary>
    public const string SharedConformanceDirVariable = "MOCLOJER_SHARED_CONFORMANCE_DIR";

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The copy kept in the repository.</summary>
    public static string InRepoConformanceDir => Path.Combine(RepoRoot, "tests", "conformance");

    /// <summary>What the tests read: $MOCLOJER_CONFORMANCE_DIR, else the in-repository copy.</summary>
    public static string ConformanceDir =>
        Environment.GetEnvironmentVariable(ConformanceDirVariable) is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : InRepoConformanceDir;

    /// <summary>
    /// The published corpus the in-repository copy was taken from: $MOCLOJER_SHARED_CONFORMANCE_DIR, else
    /// &lt;repo&gt;/../shared/conformance (where CI puts it beside the clone). May not exist.
    /// </summary>
    public static string SharedConformanceDir =>
        Environment.GetEnvironmentVariable(SharedConformanceDirVariable) is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "conformance"));

    public static IEnumerable<string> CaseDirs(string kind)
    {
        var dir = Path.Combine(ConformanceDir, kind);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"The conformance corpus was not found at {dir}; it is kept in tests/conformance, or set {ConformanceDirVariable}.");
        }
        return Directory.GetDirectories(dir).OrderBy(d => d, StringComparer.Ordinal);
    }

    public static IEnumerable<object[]> CaseNames(string kind) => CaseDirs(kind).Select(d => new object[] { Path.GetFileName(d) });

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Moclojer.Generators.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Moclojer.Generators.sln not found above " + AppContext.BaseDirectory);
    }
}
