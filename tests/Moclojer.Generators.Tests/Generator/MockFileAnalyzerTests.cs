using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>
/// IDE feedback: in a design-time build the analyzer reports a mock file's problems and the generator does not;
/// in a command-line build it is the other way round, so every problem is listed exactly once.
/// </summary>
public class MockFileAnalyzerTests
{
    private const string Bad = "- endpoint:\n    path: /a\n    response:\n      status: 700\n";

    private static async Task<ImmutableArray<Diagnostic>> AnalyzerDiagnostics(bool designTime)
    {
        var file = new InMemoryAdditionalText("/project/mocks.yml", Bad);
        var options = new AnalyzerOptions([file], new TestOptionsProvider(new() { ["build_property.DesignTimeBuild"] = designTime ? "true" : "" }));
        var compilation = GeneratorHarness.CreateCompilation("class C { }");
        return await compilation.WithAnalyzers([new MockFileAnalyzer()], options).GetAnalyzerDiagnosticsAsync();
    }

    [Fact]
    public async Task Design_time_build_reports_from_the_analyzer_at_the_value()
    {
        var diagnostic = Assert.Single(await AnalyzerDiagnostics(designTime: true));
        Assert.Equal("MOCK008", diagnostic.Id);
        Assert.Equal((4, 15), GeneratorHarness.Position(diagnostic));

        var generator = GeneratorHarness.Run([new InMemoryAdditionalText("/project/mocks.yml", Bad)], globalOptions: new() { ["build_property.DesignTimeBuild"] = "true" });
        Assert.Empty(generator.GeneratorDiagnostics);
    }

    [Fact]
    public async Task Command_line_build_reports_from_the_generator_only()
    {
        Assert.Empty(await AnalyzerDiagnostics(designTime: false));
        Assert.Equal("MOCK008", Assert.Single(GeneratorHarness.Run(Bad).GeneratorDiagnostics).Id);
    }
}
