using BenchmarkDotNet.Running;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moclojer.Routing.Benchmarks;

// Built by bench/routing/run.sh, once per number of endpoints (the generated service is the mock file's).
//   RoutingBench serve mock [ASP.NET Core args]        the mock service on Kestrel, as the generated entry point starts it
//   RoutingBench serve aspnetcore [ASP.NET Core args]  the same N routes by hand (CreateSlimBuilder, logging off)
//   RoutingBench [BenchmarkDotNet args]                the in-process benchmarks
if (args is ["serve", "mock", ..])
{
    // The four lines of the entry point the generator writes for a project without C# (MoclojerProgram.Main).
    var builder = WebApplication.CreateBuilder(args[2..]);
    Moclojer.Runtime.MoclojerHosting.ConfigureServer(builder);
    builder.Services.AddMoclojer();
    var app = builder.Build();
    app.MapMoclojer();
    app.Run();
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
