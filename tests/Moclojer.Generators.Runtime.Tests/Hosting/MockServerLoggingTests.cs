using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Moclojer.Generators.Runtime.Tests.Hosting.TestMock;

namespace Moclojer.Generators.Runtime.Tests.Hosting;

/// <summary>The console is process-wide: these tests replace it, so they run alone.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

[Collection(nameof(ConsoleCapture))]
public sealed class MockServerLoggingTests
{
    [Fact]
    public async Task ByDefault_WarningsAndErrorsReachTheConsole_OneLineEach_AndInformationDoesNot()
    {
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(console);
        try
        {
            await using var mock = await StartInMemoryAsync();
            var logger = mock.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tests.Mock");
            logger.LogInformation("an information line");
            logger.LogWarning(new EventId(7), "a warning about {Thing}", "webhooks");
            logger.LogError(new InvalidOperationException("boom"), "an error");
        }
        finally
        {
            Console.SetOut(original);
        }

        var text = console.ToString();
        Assert.Contains("warn: Tests.Mock[7] a warning about webhooks" + Environment.NewLine, text);
        Assert.Contains("fail: Tests.Mock[0] an error" + Environment.NewLine + "System.InvalidOperationException: boom", text);
        Assert.DoesNotContain("an information line", text);
    }

    [Fact]
    public async Task ALoggingOption_ReplacesTheDefaultConsoleOutput()
    {
        var console = new StringWriter();
        var original = Console.Out;
        Console.SetOut(console);
        try
        {
            await using var mock = await StartInMemoryAsync(o => o.Logging = b => b.SetMinimumLevel(LogLevel.Warning));
            mock.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tests.Mock").LogWarning("not on the console");
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.DoesNotContain("not on the console", console.ToString());
    }
}
