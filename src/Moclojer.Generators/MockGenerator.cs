using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Moclojer.Generators.Combining;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Emit;
using Moclojer.Generators.Model;
using Moclojer.Generators.Resolution;
using Moclojer.Generators.Validation;

namespace Moclojer.Generators;

/// <summary>
/// Compiles moclojer-format mock files (AdditionalFiles ending in .yml or .yaml) into an ASP.NET Core mock
/// service. Initialize only wires the pipeline: parse (per file) → validate → combine the files into the
/// service model → emit.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class MockGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var projectDir = context.AnalyzerConfigOptionsProvider.Select(static (options, _) => MockFiles.ProjectDir(options));
        var verbatimJson = context.AnalyzerConfigOptionsProvider.Select(static (options, _) => MockFiles.VerbatimJsonBodies(options));

        var mockFiles = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => MockFiles.IsMockFile(pair.Left, pair.Right))
            .Select(static (pair, _) => (File: pair.Left, OpenApi: MockFiles.OpenApiPairing(pair.Left, pair.Right)))
            .WithTrackingName(TrackingNames.MockFiles);

        // O-1: the project's OpenAPI documents (YAML or JSON AdditionalFiles with an `openapi: 3.x` root).
        var openApiDocuments = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => MockFiles.MayBeOpenApiDocument(pair.Left, pair.Right))
            .Select(static (pair, cancellationToken) => MockFiles.ReadOpenApiDocument(pair.Left, cancellationToken))
            .Collect()
            .Select(static (documents, _) => MockFiles.OpenApiDocuments(documents))
            .WithTrackingName(TrackingNames.OpenApiDocuments);

        // the other AdditionalFiles are the data files that build-time external bodies read.
        var dataFiles = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => !MockFiles.IsMockFile(pair.Left, pair.Right))
            .Select(static (pair, cancellationToken) => MockFiles.ReadDataFile(pair.Left, pair.Right, cancellationToken))
            .Collect()
            .WithTrackingName(TrackingNames.DataFiles);

        var parsed = mockFiles
            .Combine(projectDir)
            .Combine(openApiDocuments)
            .Combine(verbatimJson)
            .Select(static (pair, cancellationToken) => MockFiles.Parse(pair.Left.Left.Left.File, pair.Left.Left.Right, new OpenApiContext(pair.Left.Right, pair.Left.Left.Left.OpenApi), cancellationToken, pair.Right))
            .Combine(dataFiles)
            .Select(static (pair, _) => ExternalFiles.Resolve(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.ParsedFiles);

        var specs = parsed.Select(static (result, _) => result.Spec).WithTrackingName(TrackingNames.FileSpecs);
        var fileDiagnostics = parsed.Select(static (result, _) => result.Diagnostics).WithTrackingName(TrackingNames.FileDiagnostics);
        var duplicateDiagnostics = parsed
            .Select(static (result, _) => result.Routes).WithTrackingName(TrackingNames.RouteKeys)
            .Collect()
            .Select(static (routes, _) => DuplicateEndpoints.Find(routes)).WithTrackingName(TrackingNames.DuplicateDiagnostics);

        var entryPoint = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is GlobalStatementSyntax || node is MethodDeclarationSyntax { Identifier.ValueText: "Main" },
                static (_, _) => true)
            .Collect()
            .Combine(context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
                options.GlobalOptions.TryGetValue("build_property.MoclojerGenerateEntryPoint", out var value) ? value.Trim().ToLowerInvariant() : string.Empty))
            .Select(static (pair, _) => pair.Right switch
            {
                "true" => true,
                "false" => false,
                _ => pair.Left.IsEmpty, // auto: only when the project has no entry point of its own
            })
            .WithTrackingName(TrackingNames.EntryPointChoice);

        var service = specs.Collect()
            .Combine(entryPoint)
            .Select(static (pair, _) => ServiceSpecBuilder.Build(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Service);

        // The test host lives in $(RootNamespace) (by default the assembly name), so two mock projects never collide.
        var testHostSettings = context.AnalyzerConfigOptionsProvider
            .Combine(context.CompilationProvider.Select(static (compilation, _) => compilation.AssemblyName ?? string.Empty))
            .Select(static (pair, _) =>
            {
                var options = pair.Left.GlobalOptions;
                var rootNamespace = options.TryGetValue("build_property.RootNamespace", out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : pair.Right;
                var enabled = !(options.TryGetValue("build_property.MoclojerGenerateTestHost", out var flag) && string.Equals(flag.Trim(), "false", StringComparison.OrdinalIgnoreCase));
                return (rootNamespace, enabled);
            });
        var testHost = specs.Collect()
            .Combine(testHostSettings)
            .Select(static (pair, _) => TestHostSpecBuilder.Build(pair.Left, pair.Right.rootNamespace, pair.Right.enabled))
            .WithTrackingName(TrackingNames.TestHost);

        // In an IDE's design-time build, MockFileAnalyzer reports the same diagnostics live instead (per file as it
        // is edited, duplicates across files at the end of the compilation).
        var designTime = context.AnalyzerConfigOptionsProvider.Select(static (options, _) => MockFiles.IsDesignTimeBuild(options));
        context.RegisterSourceOutput(fileDiagnostics.Combine(designTime), static (spc, pair) =>
        {
            if (!pair.Right)
            {
                MockFiles.Report(spc.ReportDiagnostic, pair.Left);
            }
        });
        context.RegisterSourceOutput(duplicateDiagnostics.Combine(designTime), static (spc, pair) =>
        {
            if (!pair.Right)
            {
                MockFiles.Report(spc.ReportDiagnostic, pair.Left);
            }
        });
        context.RegisterSourceOutput(specs, static (spc, spec) =>
        {
            if (!spec.HasErrors && spec.HasContent)
            {
                spc.AddSource(spec.ClassName + ".g.cs", SourceText.From(HandlersEmitter.Emit(spec), System.Text.Encoding.UTF8));
            }
        });
        // A project that reaches the generator only transitively (a test project with a ProjectReference to a mock
        // project: NuGet lets analyzers flow through it) has no mock file and does not import the package's build
        // props. It gets nothing: an empty service or MockServer of its own would shadow the mock project's.
        var transitiveOnly = mockFiles.Select(static (_, _) => 0).Collect()
            .Combine(context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
                options.GlobalOptions.TryGetValue("build_property.MoclojerGenerateTestHost", out string? ignored)))
            .Select(static (pair, _) => pair.Left.IsEmpty && !pair.Right);
        context.RegisterSourceOutput(service.Combine(transitiveOnly), static (spc, pair) =>
        {
            if (!pair.Right)
            {
                spc.AddSource("MoclojerService.g.cs", SourceText.From(ServiceEmitter.Emit(pair.Left), System.Text.Encoding.UTF8));
            }
        });
        context.RegisterSourceOutput(testHost.Combine(transitiveOnly), static (spc, pair) =>
        {
            var spec = pair.Left;
            if (spec.Enabled && !pair.Right)
            {
                spc.AddSource("MockServer.g.cs", SourceText.From(TestHostEmitter.Emit(spec), System.Text.Encoding.UTF8));
            }
        });
    }
}
