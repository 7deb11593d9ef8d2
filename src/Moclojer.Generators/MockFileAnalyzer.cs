using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using Moclojer.Generators.Resolution;
using Moclojer.Generators.Validation;

namespace Moclojer.Generators;

/// <summary>
/// Live feedback in IDEs: reports what the build reports, as the files are edited. Each mock file goes through the
/// generator's own steps (<see cref="MockFiles.Parse"/>, then <see cref="ExternalFiles.Resolve"/> with the
/// compilation's other AdditionalFiles as data files, so a missing external-body file shows too), and duplicate
/// endpoints across files are reported when the compilation ends. It runs only in design-time builds, where the
/// generator stays quiet, so every build lists each problem once.
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
            var projectDir = MockFiles.ProjectDir(options);
            var additionalFiles = start.Options.AdditionalFiles;
            // Read once per compilation, and only when a mock file has a build-time external body.
            var dataFiles = new Lazy<ImmutableArray<DataFile>>(() => additionalFiles
                .Where(f => !MockFiles.IsMockFile(f, options))
                .Select(f => MockFiles.ReadDataFile(f, options, start.CancellationToken))
                .ToImmutableArray());
            var openApiDocuments = new Lazy<EquatableArray<OpenApiDocumentSpec>>(() => MockFiles.OpenApiDocuments(additionalFiles
                .Where(f => MockFiles.MayBeOpenApiDocument(f, options))
                .Select(f => MockFiles.ReadOpenApiDocument(f, start.CancellationToken))));
            var routes = new ConcurrentDictionary<string, EquatableArray<RouteKey>>(StringComparer.Ordinal);

            start.RegisterAdditionalFileAction(file =>
            {
                if (!MockFiles.IsMockFile(file.AdditionalFile, options))
                {
                    return;
                }
                var parsed = MockFiles.Parse(file.AdditionalFile, projectDir, new OpenApiContext(openApiDocuments.Value, MockFiles.OpenApiPairing(file.AdditionalFile, options)), file.CancellationToken, MockFiles.VerbatimJsonBodies(options));
                var result = ExternalFiles.Resolve(parsed, parsed.ExternalFiles.IsEmpty ? ImmutableArray<DataFile>.Empty : dataFiles.Value);
                MockFiles.Report(file.ReportDiagnostic, result.Diagnostics);
                routes[file.AdditionalFile.Path] = result.Routes;
            });

            start.RegisterCompilationEndAction(end =>
                MockFiles.Report(end.ReportDiagnostic, DuplicateEndpoints.Find(routes.Values)));
        });
    }
}
