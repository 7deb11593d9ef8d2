using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Moclojer.Generators.Tests.Infrastructure;

/// <summary>
/// Compiles a mock file in memory, loads the generated code and serves it with Kestrel on 127.0.0.1 (a free port),
/// calling the generated <c>AddMoclojer</c>/<c>MapMoclojer</c> as a consumer project would.
/// </summary>
public sealed class GeneratedService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GeneratedService(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<GeneratedService> StartAsync(string yaml, TimeProvider? time = null, string path = "/project/mocks.yml") =>
        StartAsync([new InMemoryAdditionalText(path, yaml)], time);

    /// <param name="projectDir">The project folder the generator is told (default <see cref="GeneratorHarness.ProjectDir"/>).</param>
    public static async Task<GeneratedService> StartAsync(IEnumerable<AdditionalText> files, TimeProvider? time = null, string? projectDir = null)
    {
        var run = GeneratorHarness.Run(files, globalOptions: projectDir is null ? null : new() { ["build_property.ProjectDir"] = projectDir });
        Assert.Empty(run.Errors.Select(d => d.ToString()));
        var assembly = GeneratorHarness.Load(run);
        var add = Method(assembly, "Microsoft.Extensions.DependencyInjection.MoclojerServiceCollectionExtensions", "AddMoclojer");
        var map = Method(assembly, "Microsoft.AspNetCore.Builder.MoclojerEndpointRouteBuilderExtensions", "MapMoclojer");

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }
        add.Invoke(null, [builder.Services]);
        var app = builder.Build();
        map.Invoke(null, [(IEndpointRouteBuilder)app]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GeneratedService(app, new Uri(address));
    }

    private static MethodInfo Method(Assembly assembly, string type, string name) =>
        assembly.GetType(type, throwOnError: true)!.GetMethod(name, BindingFlags.Public | BindingFlags.Static)!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
