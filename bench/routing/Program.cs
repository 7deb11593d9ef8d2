using BenchmarkDotNet.Running;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Moclojer.Routing.Benchmarks;

/// <summary>
/// The routing benchmark's entry point (the project's <c>StartupObject</c>: the generated entry point is compiled in as
/// well). Built by bench/routing/run.sh, once per number of endpoints (the generated service is the mock file's).
/// <list type="bullet">
/// <item><c>RoutingBench serve mock [ASP.NET Core args]</c>: the mock service on Kestrel, started by the generated entry point itself.</item>
/// <item><c>RoutingBench serve aspnetcore [ASP.NET Core args]</c>: the same N routes by hand (CreateSlimBuilder, logging off).</item>
/// <item><c>RoutingBench [BenchmarkDotNet args]</c>: the in-process benchmarks.</item>
/// </list>
/// </summary>
internal static class RoutingBenchProgram
{
    public static void Main(string[] args)
    {
        if (args is ["serve", "mock", ..])
        {
            Moclojer.Generated.MoclojerProgram.Main(args[2..]);
        }
        else if (args is ["serve", "aspnetcore", ..])
        {
            var builder = WebApplication.CreateSlimBuilder(args[2..]);
            builder.Logging.ClearProviders();
            var app = builder.Build();
            RoutingScaleBenchmarks.MapRoutes(app, RoutingScaleBenchmarks.Endpoints);
            app.Run();
        }
        else
        {
            BenchmarkSwitcher.FromAssembly(typeof(RoutingScaleBenchmarks).Assembly).Run(args);
        }
    }
}
