using BenchmarkDotNet.Running;

// dotnet run -c Release -- --filter '*'           every benchmark
// dotnet run -c Release -- --filter '*Handler*'   generated vs hand-written handlers only
// dotnet run -c Release -- testhost-side-by-side 200   the test host against WireMock.Net, interleaved (TestHostSideBySide)
if (args is ["testhost-side-by-side", ..])
{
    await Moclojer.Generators.Benchmarks.TestHostSideBySide.RunAsync(args.Length > 1 ? int.Parse(args[1]) : 200);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
