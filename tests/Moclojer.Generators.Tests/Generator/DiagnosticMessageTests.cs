using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>
/// A compiler prints one diagnostic per line, so every message must be one whole line: no escaped braces leaking
/// ('{{}}' where '{}' is meant) and no line break from the user's text cutting it short. The end-to-end suite
/// checks the same two messages in the output of a real dotnet build (ScenarioTests).
/// </summary>
public partial class DiagnosticMessageTests
{
    /// <summary>MOCK006 has no arguments, so Roslyn shows its message exactly as written.</summary>
    public const string MissingResponseMessage =
        "This endpoint has no 'response'; add one ('response: {}' takes every default: 200 and an empty body)";

    /// <summary>MOCK013 for a tag that spans two lines: the tag is quoted on one line.</summary>
    public const string MultiLineTagMessage =
        @"'{{json-params.a\njson-params.b}}' is not a valid template: a tag holds exactly one variable; a tag is '{{ variable }}', for example '{{path-params.id}}'";

    [Fact]
    public void Missing_response_message_shows_single_braces()
    {
        var diagnostic = Single("- endpoint:\n    path: /a\n", "MOCK006");

        Assert.Equal(MissingResponseMessage, diagnostic.GetMessage());
        AssertOneWholeLine(diagnostic, "/project/mocks.yml(1,3): error MOCK006: " + MissingResponseMessage);
    }

    [Fact]
    public void A_multi_line_tag_is_quoted_on_one_line()
    {
        var diagnostic = Single("- endpoint:\n    path: /a\n    response:\n      body: |\n        {{json-params.a\n        json-params.b}}\n", "MOCK013");

        Assert.Equal(MultiLineTagMessage, diagnostic.GetMessage());
        AssertOneWholeLine(diagnostic, "/project/mocks.yml(5,9): error MOCK013: " + MultiLineTagMessage);
    }

    [Fact]
    public void A_multi_line_tag_in_a_crlf_file_is_quoted_the_same()
    {
        var diagnostic = Single("- endpoint:\r\n    path: /a\r\n    response:\r\n      body: |\r\n        {{json-params.a\r\n        json-params.b}}\r\n", "MOCK013");

        Assert.Equal(MultiLineTagMessage, diagnostic.GetMessage());
    }

    [Fact]
    public void A_long_tag_is_shortened_with_an_ellipsis()
    {
        var tag = "{{ " + string.Join("\n", Enumerable.Repeat("json-params.a", 20)) + " }}";
        var diagnostic = Single($"- endpoint:\n    path: /a\n    response:\n      body: '{tag.Replace("\n", "\n\n", StringComparison.Ordinal)}'\n", "MOCK013");

        var message = diagnostic.GetMessage();
        var quoted = message.Substring(1, message.IndexOf("' is not a valid template", StringComparison.Ordinal) - 1);
        Assert.Equal(DiagnosticText.ExcerptLength, quoted.Length);
        Assert.StartsWith(@"{{ json-params.a\njson-params.a\n", quoted, StringComparison.Ordinal);
        Assert.EndsWith("…", quoted, StringComparison.Ordinal);
        AssertOneWholeLine(diagnostic, "/project/mocks.yml(4,14): error MOCK013: " + message);
    }

    [Fact]
    public void A_webhook_without_url_shows_the_template_with_two_braces()
    {
        var diagnostic = Single("- endpoint:\n    path: /a\n    response: {}\n    webhook:\n      method: POST\n", "MOCK016");

        Assert.Contains("'{{json-params.callback_url}}'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    /// <summary>Every descriptor, with arguments that hold line breaks, renders one line without leaked escapes.</summary>
    [Fact]
    public void Every_message_renders_on_one_line()
    {
        var location = new LocationInfo("/project/mocks.yml", 0, 1, 0, 0, 0, 1);
        foreach (var descriptor in DiagnosticCatalog.All)
        {
            var format = descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var count = Placeholder().Matches(format.Replace("{{", "", StringComparison.Ordinal).Replace("}}", "", StringComparison.Ordinal))
                .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1)
                .DefaultIfEmpty(0).Max();
            var args = Enumerable.Range(0, count).Select(i => $"line {i}\nnext\r\nlast\ttab").ToArray();

            var diagnostic = DiagnosticCatalog.Create(new DiagnosticInfo(descriptor.Id, location, args.ToEquatableArray()));
            var message = diagnostic.GetMessage();

            Assert.False(message.Contains('\n', StringComparison.Ordinal) || message.Contains('\r', StringComparison.Ordinal), $"{descriptor.Id}: {message}");
            Assert.DoesNotContain("{{}}", message, StringComparison.Ordinal);
            Assert.DoesNotContain("{{{{", message, StringComparison.Ordinal);
            Assert.DoesNotContain("}}}}", message, StringComparison.Ordinal);
            if (count > 0)
            {
                Assert.Contains(@"line 0\nnext\nlast\ttab", message, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("a\nb", @"a\nb")]
    [InlineData("a\r\nb", @"a\nb")]
    [InlineData("a\rb", @"a\rb")]
    [InlineData("a\tb", @"a\tb")]
    [InlineData("a\u2028b\u0085c", @"a\u2028b\u0085c")]
    [InlineData(@"back\slash", @"back\slash")]
    public void OneLine_escapes_line_breaks_and_control_characters(string text, string expected) =>
        Assert.Equal(expected, DiagnosticText.OneLine(text));

    [Fact]
    public void Excerpt_cuts_long_text_with_an_ellipsis()
    {
        Assert.Equal("short", DiagnosticText.Excerpt("short"));
        var excerpt = DiagnosticText.Excerpt(new string('x', 200));
        Assert.Equal(DiagnosticText.ExcerptLength, excerpt.Length);
        Assert.EndsWith("…", excerpt, StringComparison.Ordinal);
        Assert.Equal("ab…", DiagnosticText.Excerpt("ab\U0001F600cd", 4)); // never splits a surrogate pair
    }

    private static Diagnostic Single(string yaml, string id)
    {
        var run = GeneratorHarness.Run(yaml);
        return Assert.Single(run.GeneratorDiagnostics, d => d.Id == id);
    }

    private static void AssertOneWholeLine(Diagnostic diagnostic, string expected)
    {
        var printed = diagnostic.ToString();
        Assert.DoesNotContain('\n', printed);
        Assert.DoesNotContain('\r', printed);
        Assert.Equal(expected, printed);
    }

    [GeneratedRegex(@"\{(\d+)")]
    private static partial Regex Placeholder();
}
