using BenchmarkDotNet.Attributes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Moclojer.Generators.Benchmarks;

/// <summary>
/// Starting a mock in a warm test process, the stop not measured: the generated test host (<see cref="MockServer"/>,
/// compiled from bench.mocks.yml) against WireMock.Net 1.25 in process (<c>WireMockServer.Start()</c> plus one
/// mapping), both on Kestrel at 127.0.0.1; the in-memory start (TestServer) beside them. The mocks started in an
/// iteration are stopped after it.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(16)]
public class TestHostStartBenchmarks
{
    private readonly List<WireMockServer> _wireMocks = [];
    private readonly List<MockServer> _mocks = [];

    [IterationCleanup]
    public void StopAll()
    {
        foreach (var server in _wireMocks)
        {
            server.Stop();
            server.Dispose();
        }
        _wireMocks.Clear();
        foreach (var mock in _mocks)
        {
            mock.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        _mocks.Clear();
    }

    [Benchmark(Baseline = true, Description = "WireMock.Net: Start()")]
    public void WireMockStart() => _wireMocks.Add(TestHostStartStopBenchmarks.StartWireMock());

    [Benchmark(Description = "generated: MockServer.StartAsync()")]
    public async Task GeneratedStart() => _mocks.Add(await MockServer.StartAsync());

    [Benchmark(Description = "generated: MockServer.StartInMemoryAsync()")]
    public async Task GeneratedStartInMemory() => _mocks.Add(await MockServer.StartInMemoryAsync());
}

/// <summary>Starting a mock and stopping it again, as a test that owns its mock does.</summary>
[MemoryDiagnoser]
public class TestHostStartStopBenchmarks
{
    internal static WireMockServer StartWireMock()
    {
        var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/static").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"status": "ok", "service": "bench", "items": [1, 2, 3]}"""));
        return server;
    }

    [Benchmark(Baseline = true, Description = "WireMock.Net: Start() + Stop()")]
    public void WireMockStartStop()
    {
        var server = StartWireMock();
        server.Stop();
        server.Dispose();
    }

    [Benchmark(Description = "generated: MockServer.StartAsync() + DisposeAsync()")]
    public async Task GeneratedStartStop()
    {
        await using var mock = await MockServer.StartAsync();
    }

    [Benchmark(Description = "generated: MockServer.StartInMemoryAsync() + DisposeAsync()")]
    public async Task GeneratedStartStopInMemory()
    {
        await using var mock = await MockServer.StartInMemoryAsync();
    }
}

/// <summary>
/// One request to a static route, then the check that the mock recorded it, as a test writes it: the count right
/// after the answer (a request is recorded before its response starts, so a client that has the answer always finds
/// it), or a wait (which completes at once when the record is already there).
/// </summary>
[MemoryDiagnoser]
public class TestHostRoundTripBenchmarks
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private WireMockServer _wireMock = null!;
    private HttpClient _wireMockClient = null!;
    private MockServer _mock = null!;
    private HttpClient _mockClient = null!;
    private MockServer _memoryMock = null!;
    private HttpClient _memoryClient = null!;

    [GlobalSetup]
    public async Task SetUp()
    {
        _wireMock = TestHostStartStopBenchmarks.StartWireMock();
        _wireMockClient = new HttpClient { BaseAddress = new Uri(_wireMock.Url!) };
        _mock = await MockServer.StartAsync();
        _mockClient = _mock.CreateClient();
        _memoryMock = await MockServer.StartInMemoryAsync();
        _memoryClient = _memoryMock.CreateClient();
    }

    [GlobalCleanup]
    public async Task CleanUp()
    {
        _wireMockClient.Dispose();
        _wireMock.Stop();
        _wireMock.Dispose();
        _mockClient.Dispose();
        await _mock.DisposeAsync();
        _memoryClient.Dispose();
        await _memoryMock.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "WireMock.Net: GET + LogEntries check")]
    public async Task WireMockRoundTrip()
    {
        using var response = await _wireMockClient.GetAsync("/static");
        if (_wireMock.LogEntries.Count(e => e.RequestMessage.Path == "/static") != 1)
        {
            throw new InvalidOperationException("WireMock.Net did not record the request.");
        }
        _wireMock.ResetLogEntries();
    }

    [Benchmark(Description = "generated (Kestrel): GET + Requests.Count")]
    public Task GeneratedRoundTrip() => CountRoundTrip(_mock, _mockClient);

    [Benchmark(Description = "generated (Kestrel): GET + Requests.WaitForAsync")]
    public Task GeneratedWaitRoundTrip() => WaitRoundTrip(_mock, _mockClient);

    [Benchmark(Description = "generated (Kestrel): GET only, no check (the HTTP floor)")]
    public async Task GeneratedGetOnly()
    {
        using var response = await _mockClient.GetAsync("/static");
        _mock.Requests.Clear();
    }

    [Benchmark(Description = "generated (in memory): GET + Requests.Count")]
    public Task GeneratedInMemoryRoundTrip() => CountRoundTrip(_memoryMock, _memoryClient);

    [Benchmark(Description = "generated (in memory): GET + Requests.WaitForAsync")]
    public Task GeneratedInMemoryWaitRoundTrip() => WaitRoundTrip(_memoryMock, _memoryClient);

    private static async Task CountRoundTrip(MockServer mock, HttpClient client)
    {
        using var response = await client.GetAsync("/static");
        if (mock.Requests.Count(r => r.Path == "/static") != 1)
        {
            throw new InvalidOperationException("The mock did not record the request.");
        }
        mock.Requests.Clear();
    }

    private static async Task WaitRoundTrip(MockServer mock, HttpClient client)
    {
        using var response = await client.GetAsync("/static");
        await mock.Requests.WaitForAsync(r => r.Path == "/static", Wait);
        mock.Requests.Clear();
    }
}

/// <summary>
/// A whole test that owns its mock: start, one request, the check that it was recorded, stop. This includes what a
/// start defers to the first request (ASP.NET Core builds its endpoint matcher then) and a stop with a client
/// connection still open.
/// </summary>
[MemoryDiagnoser]
public class TestHostFirstRequestBenchmarks
{
    [Benchmark(Baseline = true, Description = "WireMock.Net: Start() + GET + LogEntries + Stop()")]
    public async Task WireMockTest()
    {
        var server = TestHostStartStopBenchmarks.StartWireMock();
        using (var client = new HttpClient { BaseAddress = new Uri(server.Url!) })
        {
            using var response = await client.GetAsync("/static");
            if (server.LogEntries.Count(e => e.RequestMessage.Path == "/static") != 1)
            {
                throw new InvalidOperationException("WireMock.Net did not record the request.");
            }
        }
        server.Stop();
        server.Dispose();
    }

    [Benchmark(Description = "generated (Kestrel): start + GET + Requests.Count + dispose")]
    public async Task GeneratedTest()
    {
        await using var mock = await MockServer.StartAsync();
        await Check(mock);
    }

    [Benchmark(Description = "generated (in memory): start + GET + Requests.Count + dispose")]
    public async Task GeneratedInMemoryTest()
    {
        await using var mock = await MockServer.StartInMemoryAsync();
        await Check(mock);
    }

    private static async Task Check(MockServer mock)
    {
        using var client = mock.CreateClient();
        using var response = await client.GetAsync("/static");
        if (mock.Requests.Count(r => r.Path == "/static") != 1)
        {
            throw new InvalidOperationException("The mock did not record the request.");
        }
    }
}
