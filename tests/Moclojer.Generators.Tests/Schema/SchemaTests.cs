using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Moclojer.Generators.Parsing;
using Moclojer.Generators.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Tests.Schema;

/// <summary>
/// The editor schema (schemas/mocks.schema.json) accepts every sample and runtime case, and rejects every bad
/// case whose mistake is one of structure (the checks beyond structure are the build's).
/// </summary>
public class SchemaTests
{
    /// <summary>The kinds of mistake a JSON Schema can see; templates, conditions and duplicates it cannot.</summary>
    private static readonly HashSet<string> StructureCodes =
    [
        "yaml-syntax", "invalid-config-root", "invalid-item", "missing-path", "invalid-path", "missing-response",
        "invalid-method", "invalid-status", "unknown-param-type", "webhook-missing-url", "webhook-missing-method",
        "invalid-webhook", "invalid-sleep-time", "invalid-timeout", "invalid-rate-limit", "unknown-provider", "invalid-delay",
    ];

    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(Corpus.RepoRoot, "schemas", "mocks.schema.json"))));

    public static IEnumerable<object[]> ValidFiles =>
        Directory.GetFiles(Path.Combine(Corpus.RepoRoot, "samples"), "*.yml", SearchOption.AllDirectories)
            .Concat(Corpus.CaseDirs("cases").Select(d => Path.Combine(d, "mocks.yml")))
            .Select(p => new object[] { Path.GetRelativePath(Corpus.RepoRoot, p) });

    public static IEnumerable<object[]> StructureErrors =>
        Corpus.CaseDirs("bad")
            .Where(d => StructureCodes.Contains(JsonDocument.Parse(File.ReadAllText(Path.Combine(d, "expect.json"))).RootElement.GetProperty("diagnostic_contains").GetString()!))
            .Select(d => new object[] { Path.GetFileName(d) });

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void Accepts_every_sample_and_runtime_case(string relativePath)
    {
        var path = Path.Combine(Corpus.RepoRoot, relativePath);
        var results = Schema.Value.Evaluate(Element(ToJson(File.ReadAllText(path))), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, relativePath + ":\n" + string.Join("\n", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Theory]
    [MemberData(nameof(StructureErrors))]
    public void Rejects_every_structure_error(string name)
    {
        var text = File.ReadAllText(Path.Combine(Corpus.ConformanceDir, "bad", name, "mocks.yml"));
        JsonNode? json;
        try
        {
            json = ToJson(text);
        }
        catch (YamlException)
        {
            return; // not YAML at all: editors flag it before any schema applies
        }
        Assert.False(Schema.Value.Evaluate(Element(json)).IsValid, name + " should not validate");
    }

    /// <summary>V-22: the values the build refuses because they could only fail at run time, as far as a schema can see them.</summary>
    [Theory]
    [InlineData("response:\n      status: 100\n")]
    [InlineData("response:\n      status: '101'\n")]
    [InlineData("response:\n      delay: 4320000\n")]
    [InlineData("response:\n      headers:\n        Transfer-Encoding: chunked\n")]
    [InlineData("response:\n      headers:\n        content-LENGTH: 5\n")]
    [InlineData("response:\n      headers:\n        Upgrade: h2c\n")]
    [InlineData("response:\n      headers:\n        X-Name: caf\u00e9\n")]
    [InlineData("response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      sleep-time: 1.7976931348623157e308\n")]
    [InlineData("response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      timeout: 3601\n")]
    [InlineData("response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      headers:\n        Connection: close\n")]
    [InlineData("response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      headers:\n        X-A: \"a\\u0001\"\n")]
    [InlineData("response: {}\n    webhook:\n      url: http://x/y\n      method: POST\n      headers:\n        X-A: caf\u00e9\n")]
    public void Rejects_values_that_could_only_fail_at_run_time(string rest)
    {
        var json = ToJson("- endpoint:\n    path: /a\n    " + rest);
        Assert.False(Schema.Value.Evaluate(Element(json)).IsValid, rest + " should not validate");
    }

    [Fact]
    public void Accepts_values_at_the_documented_limits()
    {
        var json = ToJson("- endpoint:\n    path: /a\n    response:\n      status: 599\n      delay: 3600\n      headers:\n        X-A: \"tab\\tok {{header-params.X-B}}\"\n"
            + "    webhook:\n      url: http://x/y\n      method: POST\n      sleep-time: 86400\n      timeout: 3600\n      headers:\n        X-Name: caf%C3%A9\n");
        var results = Schema.Value.Evaluate(Element(json), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, string.Join("\n", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    private static JsonElement Element(JsonNode? node) => JsonDocument.Parse(node?.ToJsonString() ?? "null").RootElement;

    /// <summary>YAML 1.2 core schema to JSON, the way YAML editors read a document for its schema.</summary>
    private static JsonNode? ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", Convert(c.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar when YamlCoreSchema.PlainToJson(scalar.Value ?? "") is { } json => JsonNode.Parse(json),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };
}
