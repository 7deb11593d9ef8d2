// Helper of bench/load/run.sh. Every loop here is bounded in count and in time, and talks to 127.0.0.1 only.
//   startup  <url> <timeoutSeconds> <command> [args...]   launch -> first 200, in ms (prints "startup_ms=N")
//   webhooks <baseUrl> <perSecond> <count> <receiverPort> [warmup]
//                                                          POST <baseUrl>/<i> at a fixed rate; a local receiver
//                                                          records arrivals; lateness = arrival - sent - 1 s. The
//                                                          first [warmup] requests (same stream) are not counted.
//   pending  <baseUrl> <count> <pid>                       POST <baseUrl>/<i> count times; RSS and threads of pid
//                                                          before and after
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;

var invariant = CultureInfo.InvariantCulture;
switch (args.ElementAtOrDefault(0))
{
    case "startup":
        return await Startup(args[1], double.Parse(args[2], invariant), args[3], args.Skip(4).ToArray());
    case "webhooks":
        return await Webhooks(args[1], int.Parse(args[2], invariant), int.Parse(args[3], invariant), int.Parse(args[4], invariant),
            args.Length > 5 ? int.Parse(args[5], invariant) : 0);
    case "pending":
        return await Pending(args[1], int.Parse(args[2], invariant), int.Parse(args[3], invariant));
    default:
        Console.Error.WriteLine("usage: Driver startup|webhooks|pending ...");
        return 2;
}

static HttpClient NewClient(int connections) => new(new SocketsHttpHandler
{
    MaxConnectionsPerServer = connections,
    PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    UseProxy = false,
})
{ Timeout = TimeSpan.FromSeconds(10) };

static async Task<int> Startup(string url, double timeoutSeconds, string command, string[] commandArgs)
{
    using var client = NewClient(1);
    client.Timeout = TimeSpan.FromMilliseconds(500);
    var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var arg in commandArgs)
    {
        start.ArgumentList.Add(arg);
    }
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    var result = 1;
    try
    {
        while (clock.Elapsed.TotalSeconds < timeoutSeconds && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Console.WriteLine(FormattableString.Invariant($"startup_ms={clock.Elapsed.TotalMilliseconds:F1}"));
                    result = 0;
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(2);
        }
    }
    finally
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
    if (result != 0)
    {
        Console.WriteLine("startup_ms=NaN");
    }
    return result;
}

static long NowTicks() => DateTime.UtcNow.Ticks;

static async Task<int> Webhooks(string baseUrl, int perSecond, int count, int receiverPort, int warmup)
{
    var arrivals = new ConcurrentBag<double>();
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls($"http://127.0.0.1:{receiverPort}");
    var receiver = builder.Build();
    receiver.MapPost("/receive", (HttpContext context) =>
    {
        var arrived = NowTicks();
        if (long.TryParse(context.Request.Headers["X-Sent"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var sent))
        {
            arrivals.Add((arrived - sent) / (double)TimeSpan.TicksPerMillisecond - 1000.0);
        }
        return Results.Ok();
    });
    await receiver.StartAsync();

    using var client = NewClient(256);
    var failures = 0;
    var total = warmup + count;
    var inFlight = new List<Task>(total);
    var clock = Stopwatch.StartNew();
    var interval = 1.0 / perSecond;
    for (var i = 0; i < total && clock.Elapsed.TotalSeconds < total * interval + 30; i++)
    {
        // Pace by the clock: whatever is due goes out now, so the average rate holds despite timer granularity.
        var due = i * interval;
        while (clock.Elapsed.TotalSeconds < due)
        {
            await Task.Delay(1);
        }
        var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/{i}");
        request.Headers.Add("X-Sent", i < warmup ? "warmup" : NowTicks().ToString(CultureInfo.InvariantCulture));
        inFlight.Add(Send(client, request));
    }
    await Task.WhenAll(inFlight);
    var sendSeconds = clock.Elapsed.TotalSeconds;

    // Wait for the deliveries: at most 15 s after the last request.
    var deadline = Stopwatch.StartNew();
    while (arrivals.Count < count - failures && deadline.Elapsed.TotalSeconds < 15)
    {
        await Task.Delay(100);
    }
    await receiver.StopAsync();

    var sorted = arrivals.ToArray();
    Array.Sort(sorted);
    double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    Console.WriteLine(FormattableString.Invariant(
        $"sent={count} warmup={warmup} failed={failures} delivered={sorted.Length} rate={total / sendSeconds:F0} lateness_p50_ms={Percentile(0.50):F1} lateness_p99_ms={Percentile(0.99):F1} lateness_max_ms={(sorted.Length == 0 ? double.NaN : sorted[^1]):F1}"));
    return 0;

    async Task Send(HttpClient http, HttpRequestMessage request)
    {
        try
        {
            using (request)
            using (var response = await http.SendAsync(request))
            {
                if ((int)response.StatusCode >= 300)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }
        catch (Exception)
        {
            Interlocked.Increment(ref failures);
        }
    }
}

static (long RssKiB, int Threads) ReadStatus(int pid)
{
    long rss = 0;
    var threads = 0;
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        else if (line.StartsWith("Threads:", StringComparison.Ordinal))
        {
            threads = int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1].Trim(), CultureInfo.InvariantCulture);
        }
    }
    return (rss, threads);
}

static async Task<int> Pending(string baseUrl, int count, int pid)
{
    using var client = NewClient(32);
    var before = ReadStatus(pid);
    var next = -1;
    var failures = 0;
    var clock = Stopwatch.StartNew();
    async Task Worker()
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count && clock.Elapsed.TotalSeconds < 300)
        {
            try
            {
                using var response = await client.PostAsync($"{baseUrl}/{i}", null);
                if ((int)response.StatusCode >= 300)
                {
                    Interlocked.Increment(ref failures);
                }
            }
            catch (Exception)
            {
                Interlocked.Increment(ref failures);
            }
        }
    }
    await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(Worker)));
    var seconds = clock.Elapsed.TotalSeconds;
    await Task.Delay(2000);
    var after = ReadStatus(pid);
    Console.WriteLine(FormattableString.Invariant(
        $"requests={count} failed={failures} seconds={seconds:F1} rss_before_mib={before.RssKiB / 1024.0:F1} rss_after_mib={after.RssKiB / 1024.0:F1} rss_extra_mib={(after.RssKiB - before.RssKiB) / 1024.0:F1} threads_before={before.Threads} threads_after={after.Threads}"));
    return 0;
}
