using Microsoft.CodeAnalysis;
using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>
/// Every runtime case of the corpus and every sample builds without errors, and the generated code compiles
/// without a single warning (the consumer may use TreatWarningsAsErrors and Nullable).
/// </summary>
public class GeneratedCodeCompilesTests
{
    public static IEnumerable<object[]> Cases => Corpus.CaseNames("cases");

    public static IEnumerable<object[]> Samples =>
        Directory.GetFiles(Path.Combine(Corpus.RepoRoot, "samples"), "*.yml", SearchOption.AllDirectories)
            .Select(p => new object[] { Path.GetRelativePath(Corpus.RepoRoot, p) });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Runtime_case_compiles_cleanly(string name) =>
        AssertCompilesCleanly(Path.Combine(Corpus.ConformanceDir, "cases", name, "mocks.yml"));

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_compiles_cleanly(string relativePath) =>
        AssertCompilesCleanly(Path.Combine(Corpus.RepoRoot, relativePath));

    private static void AssertCompilesCleanly(string path)
    {
        var run = GeneratorHarness.Run(File.ReadAllText(path), path);

        Assert.Empty(run.Errors.Select(d => d.ToString()));
        var generated = run.CompilationDiagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.Contains("Moclojer") == true)
            .Select(d => d.ToString());
        Assert.Empty(generated);
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
    }
}
