using System.Collections.Immutable;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Moclojer.Generators.Benchmarks;

/// <summary>
/// The generator's time and allocations for a mock file of N endpoints (half static, half templated with a typed
/// path parameter: the mock files of bench/load/build-cost.sh), run in memory with <c>CSharpGeneratorDriver</c>:
/// <list type="bullet">
/// <item><c>FirstRun</c>: a new driver over the file (what a build that starts the compiler does, JIT excepted).</item>
/// <item><c>AfterMockEdit</c>: the driver of the previous run, after every body of the file changed (what the
/// compiler server does on an edit of the mock file).</item>
/// <item><c>AfterCodeEdit</c>: the driver of the previous run after a change to a C# file of the project: the mock
/// file is unchanged, so nothing is parsed or emitted again.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class GeneratorBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() =>
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance)
                .WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
    }

    [Params(10, 1000, 10000)]
    public int Endpoints { get; set; }

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _editedCompilation = null!;
    private AdditionalText _mocks = null!;
    private AdditionalText _edited = null!;
    private GeneratorDriver _warm = null!;
    private int _edits;

    [GlobalSetup]
    public void Setup()
    {
        Prepare();
        _warm = CreateDriver().RunGenerators(_compilation);
        var result = _warm.GetRunResult();
        if (result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) || result.Results.Any(r => r.Exception is not null))
        {
            throw new InvalidOperationException("the generator failed: " + string.Join("; ", result.Diagnostics));
        }
        var bytes = result.GeneratedTrees.Sum(t => Encoding.UTF8.GetByteCount(t.GetText().ToString()));
        Console.WriteLine($"// generated: {Endpoints} endpoints, {bytes} bytes, {bytes / Endpoints} bytes per endpoint");
        if (Environment.GetEnvironmentVariable("GENERATOR_STEPS") == "1")
        {
            // Where a run after a mock edit spends its time, step by step (the generator's named pipeline steps).
            var edited = CreateDriver(trackSteps: true)
                .RunGenerators(_compilation).ReplaceAdditionalText(_mocks, _edited).RunGenerators(_compilation);
            var run = edited.GetRunResult().Results[0];
            Console.WriteLine($"// elapsed {edited.GetTimingInfo().ElapsedTime.TotalMilliseconds:0} ms");
            foreach (var step in run.TrackedSteps.SelectMany(s => s.Value.Select(v => (s.Key, v.ElapsedTime))).GroupBy(s => s.Key)
                .Select(g => (g.Key, Ms: g.Sum(x => x.ElapsedTime.TotalMilliseconds))).OrderByDescending(x => x.Ms).Take(12))
            {
                Console.WriteLine($"//   step {step.Key,-40} {step.Ms,8:0.0} ms");
            }
        }
    }

    /// <summary>The compilations and the mock file, version and edited version.</summary>
    internal void Prepare()
    {
        _compilation = CSharpCompilation.Create("Consumer",
            [CSharpSyntaxTree.ParseText("class Own { }", new CSharpParseOptions(LanguageVersion.Latest))],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.ConsoleApplication));
        _editedCompilation = _compilation.ReplaceSyntaxTree(_compilation.SyntaxTrees[0],
            CSharpSyntaxTree.ParseText("class Own { int _edited; }", new CSharpParseOptions(LanguageVersion.Latest)));
        _mocks = new BenchMocks.Text(BenchMocks.File(Endpoints, ""));
        _edited = new BenchMocks.Text(BenchMocks.File(Endpoints, " v1"));
    }

    /// <summary>The driver of <see cref="Setup"/>'s run: the first in the process (JIT included).</summary>
    internal GeneratorDriver SetupDriver => _warm;

    internal CSharpCompilation Compilation => _compilation;

    [Benchmark]
    public GeneratorDriver FirstRun() => CreateDriver().RunGenerators(_compilation);

    [Benchmark]
    public GeneratorDriver AfterMockEdit()
    {
        // Alternate between two versions of the file, so every call sees a change.
        var (from, to) = _edits++ % 2 == 0 ? (_mocks, _edited) : (_edited, _mocks);
        return _warm = _warm.ReplaceAdditionalText(from, to).RunGenerators(_compilation);
    }

    [Benchmark]
    public GeneratorDriver AfterCodeEdit() =>
        _warm = _warm.RunGenerators(_edits++ % 2 == 0 ? _editedCompilation : _compilation);

    internal GeneratorDriver CreateDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create([new MockGenerator().AsSourceGenerator()], [_mocks],
            new CSharpParseOptions(LanguageVersion.Latest), new BenchMocks.Options(),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
}
