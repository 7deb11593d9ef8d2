using BenchmarkDotNet.Attributes;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Moclojer.Generators.Benchmarks;

/// <summary>
/// A mock used from a test suite, in a warm test process: starting one, and a request followed by the check that
/// the mock recorded it. The generated test host (<see cref="MockServer"/>, compiled from bench.mocks.yml) against
/// WireMock.Net 1.25 in process (<c>WireMockServer.Start()</c>, <c>LogEntries</c>), both on Kestrel at 127.0.0.1;
/// the in-memory start (TestServer) is reported beside them.
/// </summary>
[MemoryDiagnoser]
public class TestHostStartBenchmarks
{
    [Benchmark(Baseline = true, Description = "WireMock.Net: Start() + Stop()")]
    public void WireMockStart()
    {
        var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/static").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"status": "ok", "service": "bench", "items": [1, 2, 3]}"""));
        server.Stop();
        server.Dispose();
    }

    [Benchmark(Description = "generated: MockServer.StartAsync() + DisposeAsync()")]
    public async Task GeneratedStart()
    {
        await using var mock = await MockServer.StartAsync();
    }

    [Benchmark(Description = "generated: MockServer.StartInMemoryAsync() + DisposeAsync()")]
    public async Task GeneratedStartInMemory()
    {
        await using var mock = await MockServer.StartInMemoryAsync();
    }
}

/// <summary>One request to a static route, then the verification that the mock recorded it.</summary>
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
        _wireMock = WireMockServer.Start();
        _wireMock.Given(Request.Create().WithPath("/static").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"status": "ok", "service": "bench", "items": [1, 2, 3]}"""));
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
        var expected = response.Headers.Date; // read the answer, then verify
        _ = expected;
        if (!_wireMock.LogEntries.Any(e => e.RequestMessage.Path == "/static"))
        {
            throw new InvalidOperationException("WireMock.Net did not record the request.");
        }
        _wireMock.ResetLogEntries();
    }

    [Benchmark(Description = "generated (Kestrel): GET + Requests check")]
    public Task GeneratedRoundTrip() => RoundTrip(_mock, _mockClient);

    [Benchmark(Description = "generated (in memory): GET + Requests check")]
    public Task GeneratedInMemoryRoundTrip() => RoundTrip(_memoryMock, _memoryClient);

    private static async Task RoundTrip(MockServer mock, HttpClient client)
    {
        using var response = await client.GetAsync("/static");
        // The journal records a request once its response is complete: wait for it, as a test would.
        await mock.Requests.WaitForAsync(r => r.Path == "/static", Wait);
        mock.Requests.Clear();
    }
}
