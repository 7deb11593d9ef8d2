using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Moclojer.Runtime;

namespace Moclojer.Generators.Benchmarks;

/// <summary>What a compiled template does per request: literal bytes and values, raw or JSON-escaped.</summary>
[MemoryDiagnoser]
public class TemplateBenchmarks
{
    private const string Plain = "Product 12345";
    private const string NeedsEscaping = "say \"hi\"\n\\ to Ana";

    [Benchmark(Baseline = true)]
    public int RenderPlainValue()
    {
        using var body = new TemplateBuffer();
        body.Append("{\"message\": \"Hello "u8);
        body.AppendJsonEscaped(Plain);
        body.Append("\", \"id\": "u8);
        body.AppendRaw("12345");
        body.Append("}"u8);
        return body.Length;
    }

    [Benchmark]
    public int RenderEscapedValue()
    {
        using var body = new TemplateBuffer();
        body.Append("{\"message\": \"Hello "u8);
        body.AppendJsonEscaped(NeedsEscaping);
        body.Append("\", \"id\": "u8);
        body.AppendRaw("12345");
        body.Append("}"u8);
        return body.Length;
    }

    [Benchmark]
    public int CanonicalIntParameter() =>
        MockValues.TryCanonical(MockParamType.Int, "007", out var canonical) ? canonical.Length : 0;
}

/// <summary>Webhook conditions (<c>if:</c>) as compiled code calls them.</summary>
[MemoryDiagnoser]
public class ConditionBenchmarks
{
    [Benchmark(Baseline = true)]
    public bool NumbersGreaterOrEqual() => MockConditions.GreaterOrEqual("1500.50", "1000");

    [Benchmark]
    public bool NumbersEqualDifferentText() => MockConditions.Equal("10.0", "10");

    [Benchmark]
    public bool StringsNotEqual() => MockConditions.NotEqual("BRL", "TEST");

    [Benchmark]
    public bool CompoundCondition() =>
        MockConditions.GreaterOrEqual("1500", "1000") && MockConditions.NotEqual("BRL", "TEST");
}

/// <summary>Routing: splitting the raw target and matching it among routes of a 50-endpoint service.</summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private MockRouter _router = null!;
    private HttpContext _context = null!;
    private readonly string[] _literal = ["api", "v1", "resource24", "items"];
    private readonly string[] _parameter = ["api", "v1", "resource24", "42"];

    [GlobalSetup]
    public void Setup()
    {
        var routes = new List<MockRoute>();
        for (var i = 0; i < 25; i++)
        {
            routes.Add(new MockRoute("GET", null, ["api", "v1", $"resource{i}", "items"], _ => Task.CompletedTask, $"GET literal {i}"));
            routes.Add(new MockRoute("GET", null, ["api", "v1", $"resource{i}", null], _ => Task.CompletedTask, $"GET param {i}"));
        }
        _router = new MockRouter(routes);
        _context = Fixtures.Get("/api/v1/resource24/42");
    }

    [Benchmark(Baseline = true)]
    public MockRoute? MatchLiteral() => _router.Match("GET", "127.0.0.1", _literal).Route;

    [Benchmark]
    public MockRoute? MatchParameter() => _router.Match("GET", "127.0.0.1", _parameter).Route;

    [Benchmark]
    public int SplitRequestPath() => RequestPath.Segments(_context).Length;

    [Benchmark]
    public MockRoute? SplitAndMatch() => _router.Match("GET", "127.0.0.1", RequestPath.Segments(_context)).Route;
}
