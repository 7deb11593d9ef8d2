using BenchmarkDotNet.Running;

if (args is ["--quick", var count, ..])
{
    Moclojer.Generators.Benchmarks.Quick.Run(int.Parse(count), args.Length > 2 ? int.Parse(args[2]) : 3);
    return;
}

if (args is ["--phases", var phases, ..])
{
    Moclojer.Generators.Benchmarks.Phases.Run(int.Parse(phases));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Moclojer.Generators.Benchmarks.GeneratorBenchmarks).Assembly).Run(args);
