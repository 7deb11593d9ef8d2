using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moclojer.Runtime;

namespace Moclojer.Generators.Runtime.Tests.Hosting;

/// <summary>The generated entry point's logging defaults: no per-request lines from ASP.NET Core, configuration wins.</summary>
public class DefaultLogLevelTests
{
    [Fact]
    public async Task Without_configuration_aspnetcore_request_lines_are_off_and_the_mock_still_logs_information()
    {
        await using var app = Build([]);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Warning));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
        // Off at every level: ASP.NET Core then opens no log scope and starts no activity per request.
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("Microsoft.Extensions.Hosting.Internal.Host").IsEnabled(LogLevel.Error));
        Assert.True(loggers.CreateLogger("Moclojer").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.Hosting.Lifetime").IsEnabled(LogLevel.Information));
    }

    [Theory]
    [InlineData("Microsoft.AspNetCore", "Information", LogLevel.Information)]
    [InlineData("Microsoft.AspNetCore", "Warning", LogLevel.Warning)]
    [InlineData("Microsoft.AspNetCore.Hosting", "Error", LogLevel.Error)]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", "Information", LogLevel.Information)]
    public async Task Configuration_wins_over_the_default(string category, string level, LogLevel enabled)
    {
        await using var app = Build([$"--Logging:LogLevel:{category}={level}"]);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(enabled));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(enabled - 1));
    }

    [Fact]
    public async Task A_default_level_alone_leaves_aspnetcore_at_its_defaults()
    {
        await using var app = Build(["--Logging:LogLevel:Default=Debug"]);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.True(loggers.CreateLogger("Moclojer").IsEnabled(LogLevel.Debug));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
    }

    private static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        MoclojerHosting.ConfigureServer(builder);
        return builder.Build();
    }
}
