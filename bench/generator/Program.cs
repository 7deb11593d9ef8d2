using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Moclojer.Generators.Benchmarks.GeneratorBenchmarks).Assembly).Run(args);
