using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>The emitted code for the sample, checked in; a change in emission shows up as a reviewed diff.</summary>
public class GoldenTests
{
    [Fact]
    public void Sample_shop_api_emits_the_expected_code()
    {
        var sample = Path.Combine(Corpus.RepoRoot, "samples", "ShopApi");
        var yaml = File.ReadAllText(Path.Combine(sample, "mocks.yml"));
        // The sample's data files, as the package's targets add them, at the same place relative to the mocks.
        var data = Directory.GetFiles(Path.Combine(sample, "data"), "*.json")
            .Select(f => new InMemoryAdditionalText("/project/data/" + Path.GetFileName(f), File.ReadAllText(f)));
        var run = GeneratorHarness.Run([new InMemoryAdditionalText("/project/mocks.yml", yaml), .. data]);

        Assert.Empty(run.Errors);
        foreach (var (hintName, text) in run.Sources)
        {
            GoldenFile.AssertMatches("ShopApi/" + hintName, text);
        }
        Assert.Equal(["MockServer.g.cs", "Mocks_mocks_28bc7628.g.cs", "MoclojerService.g.cs"], run.Sources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Project_with_its_own_entry_point_gets_no_generated_main()
    {
        var run = GeneratorHarness.Run("- endpoint: {path: /a, response: {}}", "/project/mocks.yml", "var app = 1;");

        var service = run.Sources.Single(s => s.HintName == "MoclojerService.g.cs").Text;
        Assert.DoesNotContain("MoclojerProgram", service);
        Assert.Contains("AddMoclojer", service);
        Assert.Contains("MapMoclojer", service);
    }

    [Fact]
    public void Project_without_code_gets_a_generated_main()
    {
        var run = GeneratorHarness.Run("- endpoint: {path: /a, response: {}}");

        Assert.Contains("public static void Main(string[] args)", run.Sources.Single(s => s.HintName == "MoclojerService.g.cs").Text);
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
    }
}
