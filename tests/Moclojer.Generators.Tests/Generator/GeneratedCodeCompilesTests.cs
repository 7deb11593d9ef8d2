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
        // The data files next to the mock file are AdditionalFiles too, as the package's targets add them.
        var data = Directory.GetFiles(Path.GetDirectoryName(path)!, "*.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(f => new InMemoryAdditionalText(f, File.ReadAllText(f)));
        var run = GeneratorHarness.Run([new InMemoryAdditionalText(path, File.ReadAllText(path)), .. data]);

        Assert.Empty(run.Errors.Select(d => d.ToString()));
        var generated = run.CompilationDiagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Location.SourceTree?.FilePath.Contains("Moclojer") == true)
            .Select(d => d.ToString());
        Assert.Empty(generated);
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));
    }
}
