using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Moclojer.Generators.Benchmarks;

/// <summary>
/// What the generator benchmarks hand the generator: the mock file bench/load/build-cost.sh writes (half static
/// endpoints, half templated with an int parameter), as an additional file, with the project's options. Also compiled
/// into bench/generator-cold.
/// </summary>
internal static class BenchMocks
{
    public static string File(int count, string variant)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (i % 2 == 0)
            {
                text.Append($"- endpoint:\n    path: /r{i}/items\n    response:\n      body: '{{\"resource\": {i}, \"items\": [1, 2, 3], \"note\": \"static{variant}\"}}'\n");
            }
            else
            {
                text.Append($"- endpoint:\n    path: /r{i}/items/:id|int\n    response:\n      body: '{{\"resource\": {i}, \"id\": {{{{path-params.id}}}}, \"name\": \"Item {{{{path-params.id}}}}{variant}\"}}'\n");
            }
        }
        return text.ToString();
    }

    /// <summary>The mock file as the compiler hands it to the generator.</summary>
    public sealed class Text(string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text, Encoding.UTF8);

        public override string Path => "/project/mocks.yml";

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    /// <summary>The build properties of a project in /project/, with no per-file options.</summary>
    public sealed class Options : AnalyzerConfigOptionsProvider
    {
        private static readonly Values Empty = new([]);

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(new() { ["build_property.ProjectDir"] = "/project/" });

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;

        private sealed class Values(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
