using System.Diagnostics;
using WireMock.Server;

namespace Moclojer.Generators.Benchmarks;

/// <summary>
/// The test host figures measured interleaved: every round runs each contender once, in turn, so a load that comes
/// and goes on a shared machine hits all of them alike (BenchmarkDotNet runs one benchmark after the other, and on a
/// loaded machine its ratios then swing with the load). Reports medians and the ratio to WireMock.Net.
/// <c>dotnet run -c Release -- testhost-side-by-side [rounds]</c>
/// </summary>
internal static class TestHostSideBySide
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(int rounds)
    {
        var start = new Samples(["WireMock.Net: Start()", "generated: StartAsync()", "generated: StartInMemoryAsync()"]);
        var stop = new Samples(["WireMock.Net: Stop()", "generated: DisposeAsync() (Kestrel)", "generated: DisposeAsync() (in memory)"]);
        var test = new Samples(["WireMock.Net: Start() + GET + LogEntries + Stop()", "generated (Kestrel): start + GET + Count + dispose", "generated (in memory): start + GET + Count + dispose"]);
        var clock = new Stopwatch();
        for (var round = 0; round < rounds; round++)
        {
            clock.Restart();
            var server = TestHostStartStopBenchmarks.StartWireMock();
            start.Add(0, clock);
            server.Stop();
            server.Dispose();
            stop.Add(0, clock);

            clock.Restart();
            var mock = await MockServer.StartAsync();
            start.Add(1, clock);
            await mock.DisposeAsync();
            stop.Add(1, clock);

            clock.Restart();
            var memory = await MockServer.StartInMemoryAsync();
            start.Add(2, clock);
            await memory.DisposeAsync();
            stop.Add(2, clock);

            var firstRequest = new TestHostFirstRequestBenchmarks();
            clock.Restart();
            await firstRequest.WireMockTest();
            test.Add(0, clock);
            await firstRequest.GeneratedTest();
            test.Add(1, clock);
            await firstRequest.GeneratedInMemoryTest();
            test.Add(2, clock);
        }

        var roundTrips = new TestHostRoundTripBenchmarks();
        await roundTrips.SetUp();
        var trip = new Samples(["WireMock.Net: GET + LogEntries", "generated (Kestrel): GET + Count", "generated (Kestrel): GET + WaitForAsync", "generated (Kestrel): GET only", "generated (in memory): GET + Count", "generated (in memory): GET + WaitForAsync"]);
        Func<Task>[] trips = [roundTrips.WireMockRoundTrip, roundTrips.GeneratedRoundTrip, roundTrips.GeneratedWaitRoundTrip, roundTrips.GeneratedGetOnly, roundTrips.GeneratedInMemoryRoundTrip, roundTrips.GeneratedInMemoryWaitRoundTrip];
        for (var round = 0; round < rounds * 20; round++)
        {
            for (var i = 0; i < trips.Length; i++)
            {
                clock.Restart();
                for (var n = 0; n < 10; n++)
                {
                    await trips[i]();
                }
                trip.Add(i, clock, per: 10);
            }
        }
        await roundTrips.CleanUp();

        Console.WriteLine($"{rounds} rounds, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        start.Print("start (ms)", 1);
        stop.Print("stop (ms)", 1);
        test.Print("a test that owns its mock (ms)", 1);
        trip.Print("round trip (µs)", 1000);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private sealed class Samples(string[] names)
    {
        private readonly List<double>[] _values = names.Select(_ => new List<double>()).ToArray();

        public void Add(int contender, Stopwatch clock, int per = 1)
        {
            _values[contender].Add(clock.Elapsed.TotalMilliseconds / per);
            clock.Restart();
        }

        public void Print(string title, double scale)
        {
            Console.WriteLine(title);
            var baseline = Median(_values[0]);
            for (var i = 0; i < names.Length; i++)
            {
                var median = Median(_values[i]);
                // Speed relative to WireMock.Net: above 1 is faster.
                Console.WriteLine($"  {names[i],-58} median {median * scale,9:0.000}  mean {_values[i].Average() * scale,9:0.000}  WireMock.Net/this {baseline / median,5:0.00}x");
            }
        }

        private static double Median(List<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }
    }
}
