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
    // Every value passed between steps is a class (see PipelineValues.cs): a struct value (bool, tuple of tuples)
    // would make a fresh compiler process JIT-compile Roslyn's node code once more for its shape.
    private static readonly object EntryPointMark = new();
    private static readonly object MockFileMark = new();

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var settings = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
        {
            var global = options.GlobalOptions;
            return new OutputSettings(
                MockFiles.IsDesignTimeBuild(options),
                global.TryGetValue("build_property.MoclojerGenerateEntryPoint", out var entryPoint) ? entryPoint.Trim().ToLowerInvariant() : string.Empty,
                global.TryGetValue("build_property.RootNamespace", out var rootNamespace) && !string.IsNullOrWhiteSpace(rootNamespace) ? rootNamespace.Trim() : null,
                !(global.TryGetValue("build_property.MoclojerGenerateTestHost", out var flag) && string.Equals(flag.Trim(), "false", StringComparison.OrdinalIgnoreCase)),
                global.TryGetValue("build_property.MoclojerGenerateTestHost", out string? _));
        });

        var mockFiles = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => MockFiles.IsMockFile(pair.Left, pair.Right))
            .Select(static (pair, _) => new MockFileInput(pair.Left, MockFiles.OpenApiPairing(pair.Left, pair.Right)))
            .WithTrackingName(TrackingNames.MockFiles);

        // O-1: the project's OpenAPI documents (YAML or JSON AdditionalFiles with an `openapi: 3.x` root).
        var openApiDocuments = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => MockFiles.MayBeOpenApiDocument(pair.Left, pair.Right))
            .Select(static (pair, cancellationToken) => MockFiles.ReadOpenApiDocument(pair.Left, cancellationToken))
            .Collect()
            .Select(static (documents, _) => new OpenApiDocumentList(MockFiles.OpenApiDocuments(documents)))
            .WithTrackingName(TrackingNames.OpenApiDocuments);

        // the other AdditionalFiles are the data files that build-time external bodies read.
        var dataFiles = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => !MockFiles.IsMockFile(pair.Left, pair.Right))
            .Select(static (pair, cancellationToken) => MockFiles.ReadDataFile(pair.Left, pair.Right, cancellationToken))
            .Collect()
            .WithTrackingName(TrackingNames.DataFiles);

        var parseSettings = context.AnalyzerConfigOptionsProvider
            .Combine(openApiDocuments)
            .Select(static (pair, _) => new ParseSettings(MockFiles.ProjectDir(pair.Left), MockFiles.VerbatimJsonBodies(pair.Left), pair.Right.Items));

        var parsed = mockFiles
            .Combine(parseSettings)
            .Select(static (pair, cancellationToken) => MockFiles.Parse(pair.Left.File, pair.Right.ProjectDir, new OpenApiContext(pair.Right.OpenApiDocuments, pair.Left.OpenApi), cancellationToken, pair.Right.VerbatimJson))
            .Combine(dataFiles)
            .Select(static (pair, _) => ExternalFiles.Resolve(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.ParsedFiles);

        var specs = parsed.Select(static (result, _) => result.Spec).WithTrackingName(TrackingNames.FileSpecs);
        var fileDiagnostics = parsed.Select(static (result, _) => new DiagnosticList(result.Diagnostics)).WithTrackingName(TrackingNames.FileDiagnostics);
        var duplicateDiagnostics = parsed
            .Select(static (result, _) => new RouteList(result.Routes)).WithTrackingName(TrackingNames.RouteKeys)
            .Collect()
            .Select(static (routes, _) => new DiagnosticList(DuplicateEndpoints.Find(routes.Select(static r => r.Items)))).WithTrackingName(TrackingNames.DuplicateDiagnostics);

        var entryPoint = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is GlobalStatementSyntax || node is MethodDeclarationSyntax { Identifier.ValueText: "Main" },
                static (_, _) => EntryPointMark)
            .Collect()
            .Combine(settings)
            .Select(static (pair, _) => Flag.Of(pair.Right.GenerateEntryPoint switch
            {
                "true" => true,
                "false" => false,
                _ => pair.Left.IsEmpty, // auto: only when the project has no entry point of its own
            }))
            .WithTrackingName(TrackingNames.EntryPointChoice);

        var service = specs.Collect()
            .Combine(entryPoint)
            .Select(static (pair, _) => ServiceSpecBuilder.Build(pair.Left, pair.Right.Value))
            .WithTrackingName(TrackingNames.Service);

        // The test host lives in $(RootNamespace) (by default the assembly name), so two mock projects never collide.
        var testHostSettings = settings
            .Combine(context.CompilationProvider.Select(static (compilation, _) => compilation.AssemblyName ?? string.Empty))
            .Select(static (pair, _) => new TestHostSettings(pair.Left.RootNamespace ?? pair.Right, pair.Left.TestHostEnabled));
        var testHost = specs.Collect()
            .Combine(testHostSettings)
            .Select(static (pair, _) => TestHostSpecBuilder.Build(pair.Left, pair.Right.RootNamespace, pair.Right.Enabled))
            .WithTrackingName(TrackingNames.TestHost);

        // In an IDE's design-time build, MockFileAnalyzer reports the same diagnostics live instead (per file as it
        // is edited, duplicates across files at the end of the compilation).
        var designTime = settings.Select(static (options, _) => Flag.Of(options.DesignTime));
        context.RegisterSourceOutput(fileDiagnostics.Combine(designTime), static (spc, pair) =>
        {
            if (!pair.Right.Value)
            {
                MockFiles.Report(spc.ReportDiagnostic, pair.Left.Items);
            }
        });
        context.RegisterSourceOutput(duplicateDiagnostics.Combine(designTime), static (spc, pair) =>
        {
            if (!pair.Right.Value)
            {
                MockFiles.Report(spc.ReportDiagnostic, pair.Left.Items);
            }
        });
        context.RegisterSourceOutput(specs, static (spc, spec) =>
        {
            if (!spec.HasErrors && spec.HasContent)
            {
                spc.AddSource(spec.ClassName + ".g.cs", HandlersEmitter.Emit(spec));
            }
        });
        // A project that reaches the generator only transitively (a test project with a ProjectReference to a mock
        // project: NuGet lets analyzers flow through it) has no mock file and does not import the package's build
        // props. It gets nothing: an empty service or MockServer of its own would shadow the mock project's.
        var transitiveOnly = mockFiles.Select(static (_, _) => MockFileMark).Collect()
            .Combine(settings)
            .Select(static (pair, _) => Flag.Of(pair.Left.IsEmpty && !pair.Right.TestHostPropertySet));
        context.RegisterSourceOutput(service.Combine(transitiveOnly), static (spc, pair) =>
        {
            if (!pair.Right.Value)
            {
                spc.AddSource("MoclojerService.g.cs", ServiceEmitter.Emit(pair.Left));
            }
        });
        context.RegisterSourceOutput(testHost.Combine(transitiveOnly), static (spc, pair) =>
        {
            var spec = pair.Left;
            if (spec.Enabled && !pair.Right.Value)
            {
                spc.AddSource("MockServer.g.cs", TestHostEmitter.Emit(spec));
            }
        });
    }
}
