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

/// <summary>
/// What the IDE shows = what the command line shows: for the same files, the analyzer in a design-time build
/// reports exactly the diagnostics the generator reports in a command-line build (same IDs, places and messages),
/// including those of the steps after parsing: external-body files (MOCK033) and duplicates across files.
/// </summary>
public class AnalyzerParityTests
{
    private const string DesignTime = "build_property.DesignTimeBuild";

    private static async Task<ImmutableArray<Diagnostic>> Analyzer(IEnumerable<AdditionalText> files)
    {
        var options = new AnalyzerOptions([.. files], new TestOptionsProvider(new()
        {
            [DesignTime] = "true",
            ["build_property.ProjectDir"] = GeneratorHarness.ProjectDir,
        }));
        var compilation = GeneratorHarness.CreateCompilation("class C { }");
        return await compilation.WithAnalyzers([new MockFileAnalyzer()], options).GetAnalyzerDiagnosticsAsync();
    }

    private static ImmutableArray<Diagnostic> Generator(IEnumerable<AdditionalText> files) => GeneratorHarness.Run(files).GeneratorDiagnostics;

    /// <summary>A diagnostic as the command line prints it: file(line,col): ID: message.</summary>
    private static IEnumerable<string> Lines(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})-({span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1}): {d.Severity} {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
        }).OrderBy(l => l, StringComparer.Ordinal);

    private static async Task<List<string>> AssertSameAsBuild(params AdditionalText[] files)
    {
        var build = Lines(Generator(files)).ToList();
        var live = Lines(await Analyzer(files)).ToList();
        Assert.Equal(build, live);
        return live;
    }

    [Fact]
    public async Task Missing_external_body_file_is_reported_live_at_the_path_line()
    {
        var live = await AssertSameAsBuild(new InMemoryAdditionalText("/project/mocks.yml",
            "- endpoint:\n    path: /a\n    response:\n      external-body:\n        provider: json\n        path: data/a.json\n"));

        var line = Assert.Single(live);
        Assert.StartsWith("/project/mocks.yml(6,15)", line, StringComparison.Ordinal);
        Assert.Contains("MOCK033", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task External_body_file_present_among_the_additional_files_is_not_reported()
    {
        var live = await AssertSameAsBuild(
            new InMemoryAdditionalText("/project/mocks.yml", "- endpoint:\n    path: /a\n    response:\n      external-body:\n        provider: json\n        path: data/a.json\n"),
            new InMemoryAdditionalText("/project/data/a.json", """{"a": 1}"""));
        Assert.Empty(live);
    }

    [Fact]
    public async Task Template_mistake_in_an_external_body_path_is_reported_live_where_the_build_reports_it()
    {
        var live = await AssertSameAsBuild(new InMemoryAdditionalText("/project/mocks.yml",
            "- endpoint:\n    path: /a/:id\n    response:\n      external-body:\n        provider: json\n        path: data/{{path-params.nope}}.json\n"
            + "- endpoint:\n    path: /b\n    response:\n      external-body:\n        provider: json\n        path: data/{{}}.json\n"));

        Assert.All(live, l => Assert.Matches(@"^/project/mocks\.yml\((6|12),\d+\)", l));
        Assert.Contains(live, l => l.StartsWith("/project/mocks.yml(6,", StringComparison.Ordinal));
        Assert.Contains(live, l => l.StartsWith("/project/mocks.yml(12,20)", StringComparison.Ordinal) && l.Contains("MOCK013", StringComparison.Ordinal));
    }

    /// <summary>
    /// X-3: a template mistake inside a build-time external file is a run-time failure (the endpoint answers 500),
    /// not a build diagnostic; the IDE agrees with the build, and the mock file's other problems are still listed.
    /// </summary>
    [Fact]
    public async Task Template_mistake_inside_an_external_body_file_gives_the_same_report_live_as_the_build()
    {
        var live = await AssertSameAsBuild(
            new InMemoryAdditionalText("/project/mocks.yml",
                "- endpoint:\n    path: /a\n    response:\n      external-body:\n        provider: json\n        path: data/a.json\n"
                + "- endpoint:\n    path: /b\n    response:\n      status: 700\n"),
            new InMemoryAdditionalText("/project/data/a.json", """{"a": "{{request.id}}", "b": {{}}}"""));
        Assert.Equal("MOCK008", Assert.Single(live).Split(' ')[2].TrimEnd(':'));
    }

    [Fact]
    public async Task Duplicate_endpoints_across_files_are_reported_live_on_the_second()
    {
        var live = await AssertSameAsBuild(
            new InMemoryAdditionalText("/project/a.yml", "- endpoint:\n    path: /users/:id\n    response:\n      body: '\"a\"'\n"),
            new InMemoryAdditionalText("/project/b.yml", "- endpoint:\n    path: /users/:name\n    response:\n      body: '\"b\"'\n"));

        var line = Assert.Single(live);
        Assert.StartsWith("/project/b.yml(2,11)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_generator_stays_quiet_in_a_design_time_build()
    {
        var files = new AdditionalText[]
        {
            new InMemoryAdditionalText("/project/a.yml", "- endpoint:\n    path: /a\n    response:\n      external-body:\n        provider: json\n        path: data/a.json\n"),
            new InMemoryAdditionalText("/project/b.yml", "- endpoint:\n    path: /a\n    response:\n      body: '\"b\"'\n"),
        };
        Assert.Equal(2, (await Analyzer(files)).Length);
        Assert.Empty(GeneratorHarness.Run(files, globalOptions: new() { [DesignTime] = "true" }).GeneratorDiagnostics);
    }
}
