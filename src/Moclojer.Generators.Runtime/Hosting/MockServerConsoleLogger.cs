using System.Text;
using Microsoft.Extensions.Logging;

namespace Moclojer.Runtime;

/// <summary>
/// The test host's default log output: one line per entry on the console, written on the logging thread. The log
/// level filter (warnings and up by default) decides what reaches it, so it writes only rarely. It replaces
/// ASP.NET Core's console provider, whose background thread and options monitoring made each mock start and stop
/// cost a millisecond or more for output a test almost never produces.
/// </summary>
internal sealed class MockServerConsoleLoggerProvider(TextWriter? output = null) : ILoggerProvider
{
    /// <summary>Where lines go: the console unless a test gives a writer.</summary>
    private TextWriter Output => output ?? Console.Out;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    /// <summary>
    /// <c>warn: Category[EventId] message</c>, as the simple console formatter's single-line form, then the exception
    /// (if any) on the following lines.
    /// </summary>
    internal static string Format(LogLevel level, string category, EventId eventId, string message, Exception? exception)
    {
        var line = new StringBuilder(category.Length + message.Length + 32);
        line.Append(level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        });
        line.Append(": ").Append(category).Append('[').Append(eventId.Id).Append("] ").Append(message);
        if (exception is not null)
        {
            line.AppendLine().Append(exception);
        }
        return line.ToString();
    }

    private sealed class Logger(MockServerConsoleLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            ArgumentNullException.ThrowIfNull(formatter);
            // One WriteLine call per entry: Console.Out is synchronized, so lines of parallel mocks never interleave.
            provider.Output.WriteLine(Format(logLevel, category, eventId, formatter(state, exception), exception));
        }
    }
}
