using System.Reflection;

namespace Moclojer.Generators.EndToEnd.Infrastructure;

/// <summary>
/// Where things are: the repository root (found by walking up to the solution file, so the tests work from any
/// output folder), the conformance corpus, and the folders this suite writes under artifacts/e2e.
/// </summary>
public static class RepoLayout
{
    public const string SolutionFileName = "Moclojer.Generators.sln";
    public const string ConformanceDirVariable = "MOCLOJER_CONFORMANCE_DIR";

    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string GeneratorProject =>
        Path.Combine(Root, "src", "Moclojer.Generators", "Moclojer.Generators.csproj");

    public static string SamplesDir => Path.Combine(Root, "samples");

    /// <summary>Everything the suite writes lives here; artifacts/ is git-ignored.</summary>
    public static string E2EDir => Path.Combine(Root, "artifacts", "e2e");

    public static string FeedDir => Path.Combine(E2EDir, "feed");

    /// <summary>Private NUGET_PACKAGES: the global cache keeps stale copies of a repacked version.</summary>
    public static string PackagesDir => Path.Combine(E2EDir, "packages");

    /// <summary>The pack's bin/obj, kept apart from src/*/bin|obj so a concurrent IDE/CLI build never collides.</summary>
    public static string PackBuildDir => Path.Combine(E2EDir, "pack-build");

    public static string ConsumersDir => Path.Combine(E2EDir, "consumers");

    public static string TimingsFile => Path.Combine(E2EDir, "timings.txt");

    /// <summary>
    /// The corpus: $MOCLOJER_CONFORMANCE_DIR, else the copy kept in the repository (tests/conformance), which a
    /// test in Moclojer.Generators.Tests keeps identical to ../shared/conformance when that is present.
    /// Returns the path even when it does not exist; callers report that as a failure.
    /// </summary>
    public static string ConformanceDir
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable(ConformanceDirVariable);
            if (!string.IsNullOrWhiteSpace(fromEnv))
            {
                return Path.GetFullPath(fromEnv);
            }

            return Path.Combine(Root, "tests", "conformance");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            {
                return dir.FullName;
            }
        }

        // Built outside the repository: use where the project was when it was built (set in the .csproj).
        var recorded = typeof(RepoLayout).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), false)
            .OfType<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "MoclojerRepoRoot")?.Value;
        if (recorded != null && File.Exists(Path.Combine(recorded, SolutionFileName)))
        {
            return Path.GetFullPath(recorded);
        }

        throw new InvalidOperationException(
            $"Could not find {SolutionFileName} in any parent of {AppContext.BaseDirectory} nor at '{recorded}'.");
    }
}
