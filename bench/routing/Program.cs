using BenchmarkDotNet.Running;

// Built by bench/routing/run.sh, once per number of endpoints (the generated service is the mock file's).
BenchmarkSwitcher.FromAssembly(typeof(Moclojer.Routing.Benchmarks.RoutingScaleBenchmarks).Assembly).Run(args);
