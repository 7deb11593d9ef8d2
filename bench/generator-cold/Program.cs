using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Moclojer.Generators.Benchmarks;

// One cold first run of the generator per process: dotnet run -c Release --project bench/generator-cold -- 10000 [dir]
// (run it several times: one process gives one figure). Prints the time the driver reports for the generator (what a
// build's ReportAnalyzer prints), the run's CPU time, GC pauses and allocations. The generator and YamlDotNet come
// from dir when given (the precompiled copies: src/Moclojer.Generators.ReadyToRun's publish folder), else the
// portable ones next to the harness.
var endpoints = args.Length > 0 ? int.Parse(args[0]) : 10_000;
var generatorDir = args.Length > 1 ? Path.GetFullPath(args[1]) : AppContext.BaseDirectory;
var text = BenchMocks.File(endpoints, "");
var generators = new GeneratorContext(generatorDir);
var generator = (IIncrementalGenerator)Activator.CreateInstance(
    generators.LoadFromAssemblyPath(Path.Combine(generatorDir, "Moclojer.Generators.dll")).GetType("Moclojer.Generators.MockGenerator", throwOnError: true)!)!;
var compilation = CSharpCompilation.Create("Consumer",
    [CSharpSyntaxTree.ParseText("class Own { }", new CSharpParseOptions(LanguageVersion.Latest))],
    [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
    new CSharpCompilationOptions(OutputKind.ConsoleApplication));
GeneratorDriver driver = CSharpGeneratorDriver.Create([generator.AsSourceGenerator()], [new BenchMocks.Text(text)],
    new CSharpParseOptions(LanguageVersion.Latest), new BenchMocks.Options(), new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None));

var pause = GC.GetTotalPauseDuration();
var allocated = GC.GetTotalAllocatedBytes(precise: true);
var cpu = Process.GetCurrentProcess().TotalProcessorTime;
driver = driver.RunGenerators(compilation);
var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
var result = driver.GetRunResult();
if (result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) || result.Results.Any(r => r.Exception is not null))
{
    throw new InvalidOperationException("the generator failed: " + string.Join("; ", result.Diagnostics) + result.Results[0].Exception);
}
Console.WriteLine($"cold first run, {endpoints} endpoints: reported {driver.GetTimingInfo().GeneratorTimes[0].ElapsedTime.TotalMilliseconds:0} ms, " +
    $"CPU {cpuMs:0} ms, GC pauses {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0} ms, allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1e6:0} MB, {result.GeneratedTrees.Length} files");

/// <summary>The generator and YamlDotNet in a context of their own; Roslyn comes from the default one, as in csc.</summary>
internal sealed class GeneratorContext(string directory) : AssemblyLoadContext("generators")
{
    protected override Assembly? Load(AssemblyName name) =>
        name.Name == "YamlDotNet" ? LoadFromAssemblyPath(Path.Combine(directory, "YamlDotNet.dll")) : null;
}
