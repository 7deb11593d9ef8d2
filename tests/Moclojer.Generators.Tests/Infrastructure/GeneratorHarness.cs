using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Moclojer.Generators.Tests.Infrastructure;

/// <summary>An in-memory mock file handed to the generator as an AdditionalFile, with its item metadata (names without the build_metadata prefix).</summary>
public sealed class InMemoryAdditionalText(string path, string text, Dictionary<string, string>? metadata = null) : AdditionalText
{
    public override string Path { get; } = path;

    public Dictionary<string, string>? Metadata { get; } = metadata;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}

/// <summary>Global and per-file analyzer options, as MSBuild would pass them.</summary>
public sealed class TestOptionsProvider(Dictionary<string, string> global) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new TestOptions(global);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new TestOptions([]);

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        new TestOptions(textFile is InMemoryAdditionalText { Metadata: { } metadata }
            ? metadata.ToDictionary(p => "build_metadata.AdditionalFiles." + p.Key, p => p.Value)
            : []);

    private sealed class TestOptions(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}

/// <summary>The outcome of one generator run: its diagnostics, the generated files and the compiled result.</summary>
public sealed record GeneratorRun(
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<(string HintName, string Text)> Sources,
    Compilation Output,
    GeneratorDriver Driver)
{
    public IEnumerable<Diagnostic> Errors => GeneratorDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Compiler diagnostics of the project with the generated code (warnings included).</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics => Output.GetDiagnostics();
}

/// <summary>Drives <see cref="MockGenerator"/> with CSharpGeneratorDriver in memory.</summary>
public static class GeneratorHarness
{
    public const string ProjectDir = "/project/";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // The running test's shared frameworks (.NET and ASP.NET Core) plus the Moclojer runtime.
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p =>
            {
                var name = Path.GetFileName(p);
                return name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal)
                    || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal) || name is "netstandard.dll" or "mscorlib.dll" or "Microsoft.Net.Http.Headers.dll"
                    || name == "Moclojer.Generators.Runtime.dll";
            });
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest), path: $"/project/Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> files, Dictionary<string, string>? globalOptions = null)
    {
        var options = new Dictionary<string, string> { ["build_property.ProjectDir"] = ProjectDir };
        foreach (var pair in globalOptions ?? [])
        {
            options[pair.Key] = pair.Value;
        }
        return CSharpGeneratorDriver.Create(
            [new MockGenerator().AsSourceGenerator()],
            files,
            new CSharpParseOptions(LanguageVersion.Latest),
            new TestOptionsProvider(options),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    public static GeneratorRun Run(string yaml, string path = "/project/mocks.yml", params string[] csharp) =>
        Run([new InMemoryAdditionalText(path, yaml)], csharp);

    public static GeneratorRun Run(IEnumerable<AdditionalText> files, string[]? csharp = null, Dictionary<string, string>? globalOptions = null)
    {
        var compilation = CreateCompilation(csharp ?? []);
        var driver = CreateDriver(files, globalOptions).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult();
        var sources = result.Results.SelectMany(r => r.GeneratedSources).Select(s => (s.HintName, s.SourceText.ToString())).ToImmutableArray();
        var exceptions = result.Results.Where(r => r.Exception is not null).Select(r => r.Exception!).ToList();
        if (exceptions.Count > 0)
        {
            throw new InvalidOperationException("The generator threw.", exceptions[0]);
        }
        return new GeneratorRun(result.Diagnostics, sources, output, driver);
    }

    /// <summary>Emits the output compilation and loads it, to run the generated handlers for real.</summary>
    public static Assembly Load(GeneratorRun run)
    {
        using var stream = new MemoryStream();
        var emitted = run.Output.Emit(stream);
        if (!emitted.Success)
        {
            throw new InvalidOperationException("Generated code does not compile:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }
        return Assembly.Load(stream.ToArray());
    }

    /// <summary>Where a diagnostic points, as 1-based (line, column).</summary>
    public static (int Line, int Column) Position(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
    }
}
