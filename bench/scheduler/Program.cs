// The webhook scheduler on the system clock against a Task.Delay per webhook: COUNT due times 1 ms apart (1,000 a
// second), lateness measured from each due time on the precise clock (Stopwatch), how many fired early, and the
// process's CPU time. No network: the webhook client's handler notes the time and answers 200 at once, so what is
// measured is the scheduler (the dispatcher as a generated service registers it, journal included).
//   dotnet run -c Release --project bench/scheduler [COUNT] [ROUNDS]
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Moclojer.Runtime;
using Moclojer.Runtime.Webhooks;

var count = args.Length > 0 ? int.Parse(args[0]) : 3000;
var rounds = args.Length > 1 ? int.Parse(args[1]) : 3;
Console.WriteLine($"{count} due times 1 ms apart, {rounds} rounds after a warm-up round, {Environment.ProcessorCount} cores");
await TaskDelayAsync(count); // warm-up: JIT, the thread pool, the HttpClient factory
await DispatcherAsync(count);
for (var round = 1; round <= rounds; round++)
{
    Report(round, "Task.Delay per webhook", await TaskDelayAsync(count));
    Report(round, "Moclojer scheduler", await DispatcherAsync(count));
}

static void Report(int round, string name, (double[] Late, TimeSpan Cpu) result)
{
    var late = result.Late.Order().ToArray();
    Console.WriteLine($"round {round} {name,-24} early {late.Count(l => l < 0),5}  lateness p50 {late[late.Length / 2],6:0.00} ms  p99 {late[late.Length * 99 / 100],6:0.00} ms  max {late[^1],6:0.00} ms  CPU {result.Cpu.TotalMilliseconds,5:0} ms");
}

static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

static double Milliseconds(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

static async Task<(double[], TimeSpan)> TaskDelayAsync(int count)
{
    var late = new double[count];
    var cpu = Cpu();
    var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
    await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
    {
        var due = start + i * Stopwatch.Frequency / 1000;
        await Task.Delay(TimeSpan.FromMilliseconds(Milliseconds(Stopwatch.GetTimestamp(), due)));
        late[i] = Milliseconds(due, Stopwatch.GetTimestamp());
    }));
    return (late, Cpu() - cpu);
}

static async Task<(double[], TimeSpan)> DispatcherAsync(int count)
{
    var handler = new NotingHandler(count);
    var services = new ServiceCollection();
    services.AddLogging();
    services.AddSingleton(TimeProvider.System);
    services.AddMoclojerWebhooks(o => o.MaxPending = count);
    services.AddHttpClient(WebhookDispatcher.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
    await using var provider = services.BuildServiceProvider();
    var dispatcher = provider.GetRequiredService<WebhookDispatcher>();
    var trigger = new WebhookTrigger("http", IPAddress.Loopback, 8000, "mock.test", 0);
    var due = new long[count];
    var cpu = Cpu();
    var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
    for (var i = 0; i < count; i++)
    {
        due[i] = start + i * Stopwatch.Frequency / 1000;
        var now = Stopwatch.GetTimestamp();
        var entry = new WebhookEntry(0, "POST", WebhookUrlKind.Absolute, "http://hooks.test/receive?i=" + i, WebhookEntry.NoHeaders,
            ReadOnlyMemory<byte>.Empty, TimeSpan.FromTicks((due[i] - now) * TimeSpan.TicksPerSecond / Stopwatch.Frequency), TimeSpan.FromSeconds(10));
        // The dispatcher reads the clock after this line: its due time is at or after due[i].
        dispatcher.Dispatch(trigger, "POST /pending/:id", TimeProvider.System.GetUtcNow(), [entry]);
    }
    await handler.All.Task.WaitAsync(TimeSpan.FromSeconds(60));
    var late = new double[count];
    for (var i = 0; i < count; i++)
    {
        late[i] = Milliseconds(due[i], handler.At[i]);
    }
    return (late, Cpu() - cpu);
}

/// <summary>Notes when each webhook reached the client's handler and answers 200.</summary>
internal sealed class NotingHandler(int count) : HttpMessageHandler
{
    private int _left = count;

    public long[] At { get; } = new long[count];

    public TaskCompletionSource All { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var at = Stopwatch.GetTimestamp();
        var i = int.Parse(request.RequestUri!.Query.AsSpan("?i=".Length));
        At[i] = at;
        if (Interlocked.Decrement(ref _left) == 0)
        {
            All.TrySetResult();
        }
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}
