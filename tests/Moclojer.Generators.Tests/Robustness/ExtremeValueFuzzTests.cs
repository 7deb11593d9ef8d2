using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Moclojer.Generators.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Moclojer.Generators.Tests.Robustness;

/// <summary>
/// Generated mock files that put extreme values (huge numbers, unicode, control characters, very long text, text
/// that looks like C#, lone surrogates) in every place that takes a template: response bodies (text and YAML
/// mappings, keys included), response headers, webhook urls (absolute, relative, callback), webhook bodies and
/// headers, external-body paths, websocket responses and patterns, and conditions. Each file goes through the whole
/// generator and the generated code is compiled: a file is either refused with diagnostics located in it, or it
/// compiles without a single C# error.
/// </summary>
public class ExtremeValueFuzzTests(ITestOutputHelper output)
{
    private const int Files = 16;

    /// <summary>Values any text may hold; written in YAML double quotes with escapes (<see cref="Quote"/>).</summary>
    private static readonly string[] Texts =
    [
        "1.7976931348623157e308",
        "-9223372036854775809",
        new string('9', 400),
        "1e999999",
        "-0.0000000000000000000000000000000000001",
        "NaN",
        "caf\u00e9 \u4e16\u754c \U0001F389 \u05e9\u05dc\u05d5\u05dd",
        "\u202e\u200b\u00ad\ufeff\ufffe combining e\u0301",
        "\U0010FFFD\U0001D11E",
        "nul\u0000 bell\u0007 esc\u001b del\u007f nel\u0085 ls\u2028 ps\u2029",
        "tab\tcr\rlf\ncrlf\r\n",
        "\"\"\" \"u8 \\u0022 {0} $\"{x}\" /* */ // #endregion \\",
        "'; DROP TABLE x; --",
        "<script>alert(1)</script>",
        "{\"json\": [1, 2, {\"deep\": null}]}",
        "}} {{ {% %} {#",
        new string('x', 20_000),
        string.Concat(Enumerable.Repeat("\u00e9\U0001F600", 3000)),
        "",
        " ",
    ];

    /// <summary>Template tags that an endpoint with the path <c>/e{n}/:id|int/:name</c> may use.</summary>
    private static readonly string[] Tags =
    [
        "{{path-params.id}}", "{{path-params.name}}", "{{query-params.q}}", "{{json-params.a.b}}", "{{json-params.items.length}}",
        "{{json-params}}", "{{header-params.X-A}}", "{{now}}", "{{uuid}}",
    ];

    [Fact]
    public void Extreme_values_in_every_templatable_place_compile_or_are_refused_with_located_diagnostics()
    {
        var random = new Random(20261128);
        int built = 0, refused = 0, expectedRefusals = 0;
        for (var n = 0; n < Files; n++)
        {
            // One file in four carries a lone surrogate: escaped in YAML (a syntax error) or raw (text in memory).
            var surrogate = n % 4 == 3 ? (n % 8 == 3 ? Surrogate.Escaped : Surrogate.Raw) : Surrogate.None;
            var yaml = GenerateFile(random, n, surrogate);
            GeneratorRun run;
            try
            {
                run = GeneratorHarness.Run(yaml);
            }
            catch (Exception ex)
            {
                Assert.Fail($"file {n}: the generator threw {ex}\n--- file ---\n{Excerpt(yaml)}");
                return;
            }
            Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "MOCK999");
            foreach (var diagnostic in run.GeneratorDiagnostics)
            {
                var span = diagnostic.Location.SourceSpan;
                Assert.True(span.Start >= 0 && span.End <= yaml.Length, $"file {n}: {diagnostic.Id} outside the file");
            }

            if (surrogate != Surrogate.None)
            {
                expectedRefusals++;
                var expected = surrogate == Surrogate.Escaped ? "MOCK001" : "MOCK030";
                Assert.True(run.Errors.Any(d => d.Id == expected), $"file {n}: expected {expected} for a lone surrogate; got {string.Join("; ", run.GeneratorDiagnostics)}");
            }
            else
            {
                Assert.True(!run.Errors.Any(), $"file {n}: unexpected errors {string.Join("; ", run.Errors)}\n--- file ---\n{Excerpt(yaml)}");
            }

            var csharpErrors = run.CompilationDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(csharpErrors.Count == 0, $"file {n}: generated code does not compile:\n{string.Join("\n", csharpErrors.Take(5))}\n--- file ---\n{Excerpt(yaml)}");
            if (run.Errors.Any())
            {
                refused++;
            }
            else
            {
                built++;
                Assert.Contains(run.Sources, s => s.HintName.StartsWith("Mocks_", StringComparison.Ordinal));
            }
        }
        output.WriteLine($"{Files} files: {built} built and compiled, {refused} refused with diagnostics");
        Assert.Equal(expectedRefusals, refused);
    }

    private enum Surrogate
    {
        None,
        Escaped,
        Raw,
    }

    private static string GenerateFile(Random random, int n, Surrogate surrogate)
    {
        var yaml = new StringBuilder();
        for (var e = 0; e < 6; e++)
        {
            var path = $"/e{n}x{e}/:id|int/:name";
            yaml.Append("- endpoint:\n")
                .Append("    method: ").Append(new[] { "GET", "POST", "PUT", "DELETE" }[e % 4]).Append('\n')
                .Append("    path: ").Append(path).Append('\n')
                .Append("    query:\n      q: string\n      limit: int\n")
                .Append("    response:\n")
                .Append("      status: ").Append(new[] { 200, 201, 204, 404, 599 }[random.Next(5)]).Append('\n')
                .Append("      headers:\n")
                // A response header carries visible ASCII, so extreme text goes there only through templates.
                .Append("        X-Echo: ").Append(Quote(Template(random) + " ascii ~!#$%&'()*+,-./:;<=>?@[]^_`{|}", Surrogate.None)).Append('\n')
                .Append("        X-Long: ").Append(Quote(new string('h', 8000) + Template(random), Surrogate.None)).Append('\n');
            if (e % 3 == 0)
            {
                yaml.Append("        Content-Type: ").Append(random.Next(2) == 0 ? "application/json" : "text/plain; charset=utf-8").Append('\n');
            }
            if (e == 5)
            {
                yaml.Append("      external-body:\n        provider: json\n        path: ")
                    .Append(Quote("{{path-params.name}}" + Text(random, pathSafe: true) + "{{query-params.q}}.json", Surrogate.None)).Append('\n');
            }
            else if (e % 2 == 0)
            {
                yaml.Append("      body: ").Append(Quote(Mixed(random), e == 0 ? surrogate : Surrogate.None)).Append('\n');
            }
            else
            {
                // A YAML mapping body: extreme keys, strings with templates, plain extreme numbers.
                yaml.Append("      body:\n")
                    // An explicit key ('? key'), since YAML limits an implicit key to 1024 characters.
                    .Append("        ? ").Append(Quote(Text(random), Surrogate.None)).Append("\n        : ").Append(Quote(Mixed(random), Surrogate.None)).Append('\n')
                    .Append("        big: 1.7976931348623157e308\n        huge: ").Append(new string('7', 300)).Append('\n')
                    .Append("        tiny: -4.9e-324\n        list: [").Append(Quote(Mixed(random), Surrogate.None)).Append(", ~, true, 0x1F, .inf]\n");
            }
            yaml.Append("    webhook:\n");
            foreach (var kind in new[] { "absolute", "relative", "callback" })
            {
                var url = kind switch
                {
                    "absolute" => "http://localhost:9000/hooks/" + Template(random) + "?v=" + Text(random, pathSafe: true) + "&t=" + Template(random),
                    "relative" => "/e" + n + "x0/" + Template(random) + "/" + Text(random, pathSafe: true),
                    _ => "{{ json-params.callback_url }}",
                };
                yaml.Append("      - url: ").Append(Quote(url, Surrogate.None)).Append('\n')
                    .Append("        method: POST\n")
                    .Append("        sleep-time: ").Append(new[] { "0", "0.001", "86400", "1e-300" }[random.Next(4)]).Append('\n')
                    .Append("        timeout: ").Append(new[] { "0.001", "3600", "1e-9" }[random.Next(3)]).Append('\n')
                    .Append("        if: ").Append(Quote(Condition(random), Surrogate.None)).Append('\n')
                    .Append("        headers:\n")
                    .Append("          X-Hook: ").Append(Quote(Template(random) + Ascii(Text(random)) + Template(random), Surrogate.None)).Append('\n')
                    .Append("        body: ").Append(Quote(Mixed(random), e == 1 && kind == "callback" ? surrogate : Surrogate.None)).Append('\n');
            }
            if (e % 2 == 1)
            {
                yaml.Append("    rate-limit:\n      window-ms: 2147483647\n      max-requests: 2147483647\n      key-fn: X-Key\n");
            }
        }
        yaml.Append("- websocket:\n")
            .Append("    path: /ws").Append(n).Append("/:id|int\n")
            .Append("    on-connect:\n      response: ").Append(Quote(Mixed(random).Replace("path-params.name", "path-params.id"), Surrogate.None)).Append('\n')
            .Append("    on-message:\n");
        for (var m = 0; m < 3; m++)
        {
            yaml.Append("      - pattern: ").Append(Quote(System.Text.RegularExpressions.Regex.Escape(Text(random).Replace("{{", "{ {")), Surrogate.None)).Append('\n')
                .Append("        response: ").Append(Quote(Mixed(random).Replace("path-params.name", "path-params.id") + "{{message}}", m == 2 ? surrogate : Surrogate.None)).Append('\n');
        }
        return yaml.ToString();
    }

    private static string Text(Random random, bool pathSafe = false)
    {
        var text = Texts[random.Next(Texts.Length)];
        // Template braces in extreme text would be templates; in url and file paths, '/' and '?' change the shape.
        text = text.Replace("{{", "{ {").Replace("}}", "} }");
        return pathSafe ? Cut(new string(text.Where(c => c is not ('/' or '\\' or '?' or '#' or '{' or '}') && !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray()), 2000) : text;
    }

    /// <summary>At most <paramref name="length"/> characters, without splitting a surrogate pair.</summary>
    private static string Cut(string text, int length) =>
        text.Length <= length ? text : text.Substring(0, char.IsHighSurrogate(text[length - 1]) ? length - 1 : length);

    private static string Template(Random random) => Tags[random.Next(Tags.Length)];

    /// <summary>Extreme text around template tags.</summary>
    private static string Mixed(Random random) => Text(random) + Template(random) + Text(random) + "\"" + Template(random) + "\"";

    /// <summary>Text a header carries as written: visible ASCII, spaces and tabs.</summary>
    private static string Ascii(string text) => new(text.Where(c => c is '\t' or >= ' ' and <= '~').ToArray());

    private static string Condition(Random random)
    {
        var literal = Cut(new string(Text(random).Where(c => c is not ('"' or '\'') && !char.IsControl(c)).ToArray()), 500);
        return random.Next(4) switch
        {
            0 => "json-params.a.b = \"" + literal + "\"",
            1 => "json-params.total > 1.7976931348623157e308 or json-params.total < -99999999999999999999999999",
            2 => "not (query-params.q != \"" + literal + "\") and header-params.X-A = \"\"",
            _ => "path-params.id >= -9223372036854775808 and path-params.name = \"" + literal + "\"",
        };
    }

    /// <summary>A YAML double-quoted scalar; a lone surrogate is added as a YAML escape or as the raw character.</summary>
    private static string Quote(string text, Surrogate surrogate)
    {
        var quoted = new StringBuilder("\"");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                quoted.Append(c).Append(text[++i]);
            }
            else if (c is '"' or '\\')
            {
                quoted.Append('\\').Append(c);
            }
            else if (c < 0x20 || c is (char)0x7f or (char)0x85 or '\u2028' or '\u2029' or '\ufeff' or '\ufffe' || char.IsSurrogate(c))
            {
                quoted.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                quoted.Append(c);
            }
        }
        quoted.Append(surrogate switch
        {
            Surrogate.Escaped => "\\uD800",
            Surrogate.Raw => "\uDC00",
            _ => string.Empty,
        });
        return quoted.Append('"').ToString();
    }

    private static string Excerpt(string yaml) => yaml.Length <= 4000 ? yaml : yaml.Substring(0, 4000) + "\n...";
}
