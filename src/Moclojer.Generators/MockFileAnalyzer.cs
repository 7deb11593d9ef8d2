using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Parsing;

namespace Moclojer.Generators;

/// <summary>
/// Live feedback in IDEs: reports a mock file's problems as it is edited, with the same reader and checks as the
/// generator. It runs only in design-time builds (where the generator stays quiet), so a command-line build
/// lists every problem once. Duplicates across files are reported by the generator in both cases.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MockFileAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticCatalog.All;

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var options = start.Options.AnalyzerConfigOptionsProvider;
            if (!MockFiles.IsDesignTimeBuild(options))
            {
                return;
            }
            options.GlobalOptions.TryGetValue("build_property.ProjectDir", out var projectDir);
            start.RegisterAdditionalFileAction(file =>
            {
                if (!MockFiles.IsMockFile(file.AdditionalFile, options))
                {
                    return;
                }
                var text = file.AdditionalFile.GetText(file.CancellationToken)?.ToString() ?? string.Empty;
                var result = MockFileParser.Parse(file.AdditionalFile.Path, MockFiles.RelativePath(file.AdditionalFile.Path, projectDir ?? string.Empty), text, file.CancellationToken);
                MockFiles.Report(file.ReportDiagnostic, result.Diagnostics);
            });
        });
    }
}
