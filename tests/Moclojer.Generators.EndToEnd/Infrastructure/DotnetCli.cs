using System.Diagnostics;
using System.Text;

namespace Moclojer.Generators.EndToEnd.Infrastructure;

/// <summary>The result of one dotnet command.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Output, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last lines of the output, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        var all = Output.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}

/// <summary>
/// Runs `dotnet ...` for the fixture (pack, build). Two pitfalls handled here:
/// * Build servers (VBCSCompiler, MSBuild nodes) inherit the output pipe and keep it open for minutes after
///   the build ends, so waiting for end-of-output would hang; we wait for the process to exit instead.
/// * The test host runs under `dotnet test`, which sets MSBuild* variables that would leak into the child
///   build; they are removed so the child behaves like a build from a fresh shell.
/// </summary>
public static class DotnetCli
{
    public static CommandResult Run(
        string workingDir,
        IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string?>? env = null,
        TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        ScrubEnvironment(psi.Environment);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        psi.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        if (env != null)
        {
            foreach (var (k, v) in env)
            {
                psi.Environment[k] = v;
            }
        }

        var output = new StringBuilder();
        var gate = new object();
        // Both streams report their end (a null line) once no process holds the pipe any more.
        var ended = new CountdownEvent(2); // not disposed: a reader may still signal after a timed-out wait
        void Append(string? line)
        {
            if (line == null)
            {
                ended.Signal();
                return;
            }

            lock (gate)
            {
                output.Append(line).Append('\n');
            }
        }

        var commandLine = "dotnet " + string.Join(' ', args);
        var sw = Stopwatch.StartNew();
        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var limit = timeout ?? TimeSpan.FromMinutes(15);
        // WaitForExit(int) does not wait for end-of-output (see the class comment).
        if (!process.WaitForExit((int)limit.TotalMilliseconds))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            Append($"[e2e] killed after {limit.TotalMinutes:0} min");
            return new CommandResult(commandLine, -1, Snapshot(), sw.Elapsed);
        }

        // Let the readers take in what the process wrote just before it exited: up to the end of both streams, which
        // comes at once unless a build server still holds the pipe; then, or without it, until the output is quiet.
        ended.Wait(EndOfOutputPatience);
        WaitForQuietOutput(output, gate);
        return new CommandResult(commandLine, process.ExitCode, Snapshot(), sw.Elapsed);

        string Snapshot()
        {
            lock (gate)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Removes what `dotnet test` put into the test host's environment for its own MSBuild.</summary>
    public static void ScrubEnvironment(IDictionary<string, string?> env)
    {
        foreach (var key in env.Keys.ToList())
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("_MSBuild", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase))
            {
                env.Remove(key);
            }
        }
    }

    /// <summary>How long to wait for the end of a finished command's output when a build server may hold the pipe.</summary>
    private static readonly TimeSpan EndOfOutputPatience = TimeSpan.FromSeconds(3);

    private static void WaitForQuietOutput(StringBuilder output, object gate)
    {
        var last = -1;
        for (var i = 0; i < 20; i++)
        {
            int len;
            lock (gate)
            {
                len = output.Length;
            }

            if (len == last)
            {
                return;
            }

            last = len;
            Thread.Sleep(100);
        }
    }
}
