using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Moclojer.Generators.EndToEnd.Infrastructure;

/// <summary>
/// A built consumer service running as a real process (`dotnet App.dll`, or a published native executable started
/// directly), as a user would start it.
/// Readiness is a successful TCP connect, never an HTTP probe: a probe would use up rate-limit quota
/// (conformance README 1.1). Disposing kills the whole process tree, so pending webhooks die with it.
/// </summary>
public sealed class ServiceProcess : IServiceUnderTest, IDisposable
{
    private const int MaxLogChars = 200_000;

    // Request logs of hostile requests carry 20 KB paths; keep failure messages readable.
    private const int MaxLineChars = 400;

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly object _gate = new();
    private bool _disposed;

    private ServiceProcess(Process process, int port, string description)
    {
        _process = process;
        Port = port;
        Description = description;
    }

    public int Port { get; }

    public string Description { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the service printed so far (stdout and stderr interleaved), for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_gate)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the service with HOST=127.0.0.1 and PORT=a free port (CLI-1), plus any extra environment and
    /// arguments, and waits until its port accepts connections. A path ending in .dll runs with `dotnet`; any other
    /// path is an executable (a Native AOT or single-file publish) and runs as is.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(
        string dllPath,
        string workingDir,
        IReadOnlyDictionary<string, string?>? extraEnv = null,
        IReadOnlyList<string>? args = null,
        TimeSpan? readyTimeout = null)
    {
        if (!File.Exists(dllPath))
        {
            throw new FileNotFoundException($"built service not found: {dllPath}");
        }

        var port = FreePort();
        var viaDotnet = dllPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var psi = new ProcessStartInfo(viaDotnet ? "dotnet" : dllPath)
        {
            WorkingDirectory = workingDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (viaDotnet)
        {
            psi.ArgumentList.Add(dllPath);
        }

        foreach (var a in args ?? [])
        {
            // "{PORT}" in an argument or variable stands for the chosen port (e.g. --urls http://127.0.0.1:{PORT}).
            psi.ArgumentList.Add(a.Replace("{PORT}", portText, StringComparison.Ordinal));
        }

        DotnetCli.ScrubEnvironment(psi.Environment);
        // Only HOST/PORT decide the address unless a test says otherwise (ASP.NET's own settings win, CLI-1).
        foreach (var k in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS" })
        {
            psi.Environment.Remove(k);
        }

        psi.Environment["HOST"] = "127.0.0.1";
        psi.Environment["PORT"] = portText;
        foreach (var (k, v) in extraEnv ?? new Dictionary<string, string?>())
        {
            psi.Environment[k] = v?.Replace("{PORT}", portText, StringComparison.Ordinal);
        }

        var argsText = string.Concat(psi.ArgumentList.Skip(viaDotnet ? 1 : 0).Select(a => " " + a));
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var command = viaDotnet ? $"dotnet {Path.GetFileName(dllPath)}" : dllPath;
        var service = new ServiceProcess(process, port, $"{command}{argsText} (port {port}, cwd {workingDir})");
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await service.WaitUntilListeningAsync(readyTimeout ?? TimeSpan.FromSeconds(30));
        }
        catch
        {
            service.Dispose();
            throw;
        }

        return service;
    }

    /// <summary>A port that was free a moment ago (bind to 0, read it, release it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{Description} exited with code {_process.ExitCode} before listening. Output:\n{Tail(Log)}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException(
            $"{Description} did not accept TCP connections within {timeout.TotalSeconds:0} s " +
            $"(does it honour HOST/PORT?). Output:\n{Tail(Log)}");
    }

    private void Append(string? line)
    {
        if (line == null)
        {
            return;
        }

        lock (_gate)
        {
            if (_log.Length < MaxLogChars)
            {
                _log.Append(line.Length > MaxLineChars ? line[..MaxLineChars] + "…" : line).Append('\n');
            }
        }
    }

    public static string Tail(string text, int maxChars = 4000) =>
        text.Length <= maxChars ? text : "…" + text[^maxChars..];

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }
}
