using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Moclojer.Benchmarks;
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

/// <summary>
/// Routing: the router compiled from bench/bench.mocks.yml (generated <c>MoclojerRouter</c>), given the path and its
/// segment ranges as the dispatcher hands them over, and tables of 50 and 10,000 routes built by hand (their tries walked from nodes).
/// Matching allocates nothing; the whole-dispatch rows of <see cref="HandlerBenchmarks"/> add the rest.
/// </summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private const string Literal = "/static";
    private const string Parameter = "/hello/bob";
    private const string Table = "/api/v1/resource24/42";
    private MockRouter _compiled = null!;
    private MockRouter _table = null!;
    private MockRouter _largeTable = null!;
    private Range[] _literal = null!;
    private Range[] _parameter = null!;
    private Range[] _tableRanges = null!;

    [GlobalSetup]
    public void Setup()
    {
        _compiled = Fixtures.Definition.Router;
        var routes = new List<MockRoute>();
        for (var i = 0; i < 25; i++)
        {
            routes.Add(new MockRoute("GET", null, ["api", "v1", $"resource{i}", "items"], _ => Task.CompletedTask, $"GET literal {i}"));
            routes.Add(new MockRoute("GET", null, ["api", "v1", $"resource{i}", null], _ => Task.CompletedTask, $"GET param {i}"));
        }
        _table = new MockRouter(routes);
        // The same shape with 10,000 routes: the cost must not grow with the table.
        for (var i = 25; i < 5_000; i++)
        {
            routes.Add(new MockRoute("GET", null, ["api", "v1", $"resource{i}", "items"], _ => Task.CompletedTask, $"GET literal {i}"));
            routes.Add(new MockRoute("GET", null, ["api", "v1", $"resource{i}", null], _ => Task.CompletedTask, $"GET param {i}"));
        }
        _largeTable = new MockRouter(routes);
        _literal = PathRanges.Of(Literal);
        _parameter = PathRanges.Of(Parameter);
        _tableRanges = PathRanges.Of(Table);
    }

    [Benchmark(Baseline = true)]
    public MockRoute? CompiledLiteral() => _compiled.Match("GET", "", Literal, _literal).Route;

    [Benchmark]
    public MockRoute? CompiledParameter() => _compiled.Match("GET", "", Parameter, _parameter).Route;

    [Benchmark]
    public MockRoute? HandBuiltTableParameter() => _table.Match("GET", "", Table, _tableRanges).Route;

    [Benchmark]
    public MockRoute? HandBuiltTable10000Parameter() => _largeTable.Match("GET", "", Table, _tableRanges).Route;
}
