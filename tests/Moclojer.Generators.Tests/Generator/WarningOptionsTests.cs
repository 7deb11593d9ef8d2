using Microsoft.CodeAnalysis;
using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>
/// Warnings follow the compiler's usual options: NoWarn suppresses them, WarningsAsErrors escalates them
/// (MSBuild passes both to the compiler as specific diagnostic options, which is what these tests set).
/// </summary>
public class WarningOptionsTests
{
    private const string UnknownKey = "- endpoint:\n    path: /a\n    response:\n      staus: 201\n";

    private static IReadOnlyList<Diagnostic> Run(ReportDiagnostic? option)
    {
        var compilation = GeneratorHarness.CreateCompilation();
        if (option is { } value)
        {
            compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions([new("MOCK027", value)]));
        }
        GeneratorHarness.CreateDriver([new InMemoryAdditionalText("/project/mocks.yml", UnknownKey)])
            .RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);
        return diagnostics.Where(d => d.Id == "MOCK027").ToList();
    }

    [Fact]
    public void Unknown_key_is_a_warning_by_default()
    {
        var warning = Assert.Single(Run(null));
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.False(warning.IsWarningAsError);
    }

    [Fact]
    public void NoWarn_suppresses_it() => Assert.Empty(Run(ReportDiagnostic.Suppress));

    [Fact]
    public void WarningsAsErrors_escalates_it() => Assert.Equal(DiagnosticSeverity.Error, Assert.Single(Run(ReportDiagnostic.Error)).Severity);
}
