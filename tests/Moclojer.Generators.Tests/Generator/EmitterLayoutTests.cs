using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Moclojer.Generators.Emit;
using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>
/// The emitted code is laid out by one indented writer: every line sits at the depth of its block, and a json-params
/// path is one static per class however many handlers, conditions and templates read it.
/// </summary>
public partial class EmitterLayoutTests
{
    public static IEnumerable<object[]> Cases => Corpus.CaseNames("cases");

    [Fact]
    public void Writer_indents_each_line_of_a_template_and_keeps_blank_lines_empty()
    {
        var writer = new CodeWriter();
        writer.StartBlock("class C");
        writer.WriteLine("int a;\r\n\r\nvoid M()\n{\n    a = 1;\n}");
        writer.StartBlock();
        writer.WriteLine("x();");
        writer.EndBlock(";");
        writer.EndBlock();

        Assert.Equal("class C\n{\n    int a;\n\n    void M()\n    {\n        a = 1;\n    }\n    {\n        x();\n    };\n}\n", writer.ToString());
    }

    [Fact]
    public void The_compiler_reads_the_written_text_as_it_was_written_across_chunks()
    {
        // Lines of varied lengths, so lines and copies cross the text's chunk boundaries at every offset.
        var writer = new CodeWriter();
        var expected = new System.Text.StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            var line = "// line " + i + " " + new string((char)('a' + i % 26), i % 97);
            writer.WriteLine(line);
            expected.Append(line).Append('\n');
        }
        writer.WriteUtf8Line("var d = ", new string('x', 20_000) + "\"", ";");
        expected.Append("var d = \"").Append('x', 20_000).Append("\\\"\"u8;\n");
        var text = writer.ToSourceText();
        var reference = Microsoft.CodeAnalysis.Text.SourceText.From(expected.ToString(), System.Text.Encoding.UTF8);

        Assert.Equal(expected.ToString(), writer.ToString());
        Assert.Equal(expected.ToString(), text.ToString());
        Assert.True(text.ContentEquals(reference));
        Assert.Equal(reference.GetChecksum().ToArray(), text.GetChecksum().ToArray());
        Assert.Equal(reference.Lines.Count, text.Lines.Count);
        Assert.Equal(reference.Lines[2999].ToString(), text.Lines[2999].ToString());
        Assert.Equal(System.Text.Encoding.UTF8, text.Encoding);
        for (var position = 0; position < expected.Length; position += 997)
        {
            Assert.Equal(expected[position], text[position]);
            var span = new Microsoft.CodeAnalysis.Text.TextSpan(position, Math.Min(9000, expected.Length - position));
            Assert.Equal(reference.ToString(span), text.ToString(span));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => text[expected.Length]);
        Assert.Throws<ArgumentOutOfRangeException>(() => text.CopyTo(expected.Length - 1, new char[4], 0, 2));
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(text);
        Assert.Equal(expected.ToString(), tree.GetRoot().ToFullString());
    }

    [Fact]
    public void Interpolated_values_are_written_the_same_whatever_the_compiler_culture()
    {
        var culture = (System.Globalization.CultureInfo)System.Globalization.CultureInfo.InvariantCulture.Clone();
        culture.NumberFormat.NegativeSign = "\u2212";
        culture.NumberFormat.NumberDecimalSeparator = ",";
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = culture;
        try
        {
            var writer = new CodeWriter();
            var (number, fraction) = (-42, -1.5);
            writer.WriteLine($"var a = {number};");
            writer.StartBlock($"if (b == {fraction})");
            writer.EndBlock();

            Assert.Equal("var a = -42;\nif (b == -1.5)\n{\n}\n", writer.ToString());
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"swagger\":\"2.0\",\"paths\":{\"/a\\\\b\":{}}}")]
    [InlineData("\"\\\"")]
    [InlineData("caf\u00e9 \u2028 \ud83d\ude00")]
    [InlineData("tab\there\nnew line\u0001\u007f")]
    [InlineData("\ud800 lone surrogate")]
    public void A_utf8_line_holds_the_same_literal_as_the_compiler_writes(string value)
    {
        // The API documents are escaped straight into the output; the literal is the compiler's (Literals.Utf8).
        var writer = new CodeWriter();
        writer.StartBlock("class C");
        writer.WriteUtf8Line("static readonly byte[] s = ", value, ".ToArray();");
        writer.EndBlock();

        Assert.Equal("class C\n{\n    static readonly byte[] s = " + Literals.Utf8(value) + ".ToArray();\n}\n", writer.ToString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_line_of_a_corpus_case_sits_at_its_block_depth(string name)
    {
        var path = Path.Combine(Corpus.ConformanceDir, "cases", name, "mocks.yml");
        var run = GeneratorHarness.Run(File.ReadAllText(path));
        foreach (var (hintName, text) in run.Sources)
        {
            AssertIndentedByBlocks(hintName, text);
        }
    }

    [Fact]
    public void A_json_path_is_one_static_per_class_wherever_it_is_read()
    {
        const string yaml = """
            - endpoint:
                method: POST
                path: /a
                response:
                  headers:
                    X-Total: "{{json-params.total}}"
                  body: '{"t": {{json-params.total}}, "n": "{{json-params.customer.name}}"}'
                webhook:
                  - url: http://localhost:9000/x?t={{json-params.total}}
                    method: POST
                    if: json-params.total >= 1000 and json-params.currency != "TEST"
                    headers:
                      X-Name: "{{json-params.customer.name}}"
                    body: '{"t": {{json-params.total}}}'
                  - url: "{{json-params.callback}}"
                    method: POST
                    if: json-params.folded = 1 or true
                  - url: /relative/{{json-params.total}}
                    method: POST
                    if: "false"
                    body: '{"never": "{{json-params.never}}"}'
            - endpoint:
                method: POST
                path: /b/:name
                response:
                  headers:
                    Content-Type: text/plain
                  external-body:
                    provider: json
                    path: data/{{json-params.file}}-{{path-params.name}}.json
            - endpoint:
                method: POST
                path: /c
                response:
                  body: '{"n": "{{json-params.customer.name}}", "all": {{json-params}}}'
            - websocket:
                path: /ws
                on-connect:
                  response: '{"t": {{json-params.total}}}'
                on-message:
                  - pattern: '.*'
                    response: '{"a": "{{json-params.action}}", "t": {{json-params.total}}}'
            """;
        var run = GeneratorHarness.Run(yaml);

        Assert.Empty(run.Errors.Select(d => d.ToString()));
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()));
        var handlers = run.Sources.Single(s => s.HintName is not ("MoclojerService.g.cs" or "MockServer.g.cs")).Text;
        var declared = JsonStatic().Matches(handlers).Select(m => m.Groups["path"].Value).ToList();
        Assert.Equal(["\"total\"", "\"currency\"", "\"customer\", \"name\"", "\"callback\"", "\"file\"", "\"action\""], declared);
        AssertIndentedByBlocks("handlers", handlers);
    }

    /// <summary>
    /// A line that closes a block (<c>}</c>) is one level out, a line that opens one (<c>{</c>) puts the next lines one
    /// level in; an expression-bodied member's <c>=&gt;</c> line continues the line above, one level in.
    /// </summary>
    private static void AssertIndentedByBlocks(string name, string text)
    {
        var depth = 0;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var content = line.TrimStart(' ');
            if (content.Length == 0)
            {
                Assert.True(line.Length == 0, $"{name} line {i + 1} is blank but not empty");
                continue;
            }
            if (content.StartsWith('}'))
            {
                depth--;
            }
            var expected = (depth + (content.StartsWith("=>", StringComparison.Ordinal) ? 1 : 0)) * 4;
            Assert.True(line.Length - content.Length == expected, $"{name} line {i + 1} is indented {line.Length - content.Length} spaces, expected {expected}: {content}");
            if (content == "{")
            {
                depth++;
            }
        }
        Assert.Equal(0, depth);
    }

    [GeneratedRegex("private static readonly string\\[\\] s_json[0-9]+ = \\{ (?<path>.*) \\};")]
    private static partial Regex JsonStatic();
}
