namespace Moclojer.Generators.Tests.Infrastructure;

/// <summary>Finds the repository and the shared conformance corpus beside it.</summary>
public static class Corpus
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string ConformanceDir =>
        Environment.GetEnvironmentVariable("MOCLOJER_CONFORMANCE_DIR") is { Length: > 0 } dir
            ? dir
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "conformance"));

    public static IEnumerable<string> CaseDirs(string kind)
    {
        var dir = Path.Combine(ConformanceDir, kind);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"The conformance corpus was not found at {dir}; set MOCLOJER_CONFORMANCE_DIR.");
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
