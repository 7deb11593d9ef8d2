using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Emit;
using Moclojer.Generators.Model;
using Moclojer.Generators.Parsing;
using Moclojer.Generators.Validation;

namespace Moclojer.Generators;

/// <summary>
/// Compiles moclojer-format mock files (AdditionalFiles ending in .yml or .yaml) into an ASP.NET Core mock
/// service. Initialize only wires the pipeline: parse (per file) → model → validate → emit.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class MockGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var projectDir = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue("build_property.ProjectDir", out var dir) ? dir : string.Empty);

        var mockFiles = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => IsMockFile(pair.Left, pair.Right))
            .Select(static (pair, _) => pair.Left)
            .WithTrackingName(TrackingNames.MockFiles);

        // the other AdditionalFiles are the data files that build-time external bodies read.
        var dataFiles = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Where(static pair => !IsMockFile(pair.Left, pair.Right))
            .Select(static (pair, cancellationToken) => new DataFile(FilePaths.Normalize(pair.Left.Path), pair.Left.GetText(cancellationToken)?.ToString() ?? string.Empty))
            .Collect()
            .WithTrackingName(TrackingNames.DataFiles);

        var parsed = mockFiles
            .Combine(projectDir)
            .Select(static (pair, cancellationToken) =>
            {
                var text = pair.Left.GetText(cancellationToken)?.ToString() ?? string.Empty;
                return MockFileParser.Parse(pair.Left.Path, RelativePath(pair.Left.Path, pair.Right), text, cancellationToken);
            })
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
            .Select(static (pair, _) => ServiceEmitter.BuildSpec(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Service);

        context.RegisterSourceOutput(fileDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));
        context.RegisterSourceOutput(duplicateDiagnostics, static (spc, diagnostics) => Report(spc, diagnostics));
        context.RegisterSourceOutput(specs, static (spc, spec) =>
        {
            if (!spec.HasErrors && spec.HasContent)
            {
                spc.AddSource(spec.ClassName + ".g.cs", SourceText.From(HandlersEmitter.Emit(spec), System.Text.Encoding.UTF8));
            }
        });
        context.RegisterSourceOutput(service, static (spc, spec) =>
            spc.AddSource("MoclojerService.g.cs", SourceText.From(ServiceEmitter.Emit(spec), System.Text.Encoding.UTF8)));
    }

    private static bool IsMockFile(AdditionalText file, AnalyzerConfigOptionsProvider options)
    {
        var path = file.Path;
        if (!path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return !(options.GetOptions(file).TryGetValue("build_metadata.AdditionalFiles.Moclojer", out var flag)
            && string.Equals(flag.Trim(), "false", StringComparison.OrdinalIgnoreCase));
    }

    private static string RelativePath(string path, string projectDir)
    {
        var normalized = path.Replace('\\', '/');
        var dir = projectDir.Replace('\\', '/');
        if (dir.Length > 0 && !dir.EndsWith("/", StringComparison.Ordinal))
        {
            dir += "/";
        }
        return dir.Length > 0 && normalized.StartsWith(dir, StringComparison.Ordinal)
            ? normalized.Substring(dir.Length)
            : System.IO.Path.GetFileName(normalized);
    }

    private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var info in diagnostics)
        {
            var location = info.Location;
            var span = new TextSpan(location.Start, location.Length);
            var lines = new LinePositionSpan(new LinePosition(location.StartLine, location.StartColumn), new LinePosition(location.EndLine, location.EndColumn));
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticCatalog.ForId(info.Id),
                Location.Create(location.FilePath, span, lines),
                info.MessageArgs.Select(a => (object)a).ToArray()));
        }
    }
}
