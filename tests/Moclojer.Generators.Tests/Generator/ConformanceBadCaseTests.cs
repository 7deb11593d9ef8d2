using System.Text.Json;
using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>
/// Every compile-error case of the conformance corpus, in memory: the generator must report an error located in
/// the case's mocks.yml at the expected line. (The end-to-end suite checks the same through a real dotnet build.)
/// </summary>
public class ConformanceBadCaseTests
{
    public static IEnumerable<object[]> Cases => Corpus.CaseNames("bad");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reports_an_error_at_the_expected_line(string name)
    {
        var dir = Path.Combine(Corpus.ConformanceDir, "bad", name);
        var expect = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "expect.json"))).RootElement;
        var line = expect.GetProperty("line").GetInt32();
        var path = Path.Combine(dir, "mocks.yml");

        var run = GeneratorHarness.Run(File.ReadAllText(path), path);

        var errors = run.Errors.Select(d => (GeneratorHarness.Position(d).Line, d.Id, Message: d.GetMessage())).ToList();
        Assert.True(errors.Any(e => e.Line == line),
            $"expected an error ({expect.GetProperty("diagnostic_contains").GetString()}) at line {line}; got: "
            + (errors.Count == 0 ? "no errors" : string.Join("; ", errors.Select(e => $"{e.Id} at {e.Line}: {e.Message}"))));
    }
}
