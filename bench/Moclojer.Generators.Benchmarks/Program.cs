using BenchmarkDotNet.Running;

// dotnet run -c Release -- --filter '*'           every benchmark
// dotnet run -c Release -- --filter '*Handler*'   generated vs hand-written handlers only
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
