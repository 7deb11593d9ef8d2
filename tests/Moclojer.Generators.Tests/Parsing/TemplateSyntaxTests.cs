using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Moclojer.Generators.Model;
using Moclojer.Generators.Parsing;
using Moclojer.Generators.Shared;

namespace Moclojer.Generators.Tests.Parsing;

/// <summary>The template language of src/Shared/TemplateSyntax.cs, which the generator and the runtime both compile.</summary>
public class TemplateSyntaxTests
{
    [Theory]
    [InlineData("json-params.items.0.price", "json-params.items.0.price")]
    [InlineData("json-params", "json-params")]
    [InlineData("header-params.X-Api-Key", "header-params.X-Api-Key")]
    [InlineData("query-params.a.b", "query-params.a.b")]
    [InlineData("now", "now")]
    [InlineData("uuid", "uuid")]
    public void Reads_known_roots(string expression, string expected)
    {
        Assert.Equal(TemplateTagError.None, TemplateSyntax.ReadVariable(expression, out var source, out var path));
        Assert.Equal(expected, VariableRef.From(source, path).ToString());
    }

    [Fact]
    public void Names_after_the_first_dot_are_one_name_except_for_json_params()
    {
        TemplateSyntax.ReadVariable("header-params.a.b", out _, out var header);
        TemplateSyntax.ReadVariable("json-params.a.b", out _, out var json);
        Assert.Equal(["a.b"], header);
        Assert.Equal(["a", "b"], json);
    }

    [Theory]
    [InlineData("request.id", "UnknownSource")]
    [InlineData("headers.x", "UnknownSource")]
    [InlineData("message", "UnknownSource")]
    [InlineData("now.x", "UnknownSource")]
    [InlineData("path-params", "MissingName")]
    [InlineData("query-params.", "MissingName")]
    [InlineData("json-params.a..b", "MissingName")]
    [InlineData("json-params.", "MissingName")]
    public void Refuses_unknown_roots_and_missing_names(string expression, string expected)
    {
        Assert.Equal(expected, TemplateSyntax.ReadVariable(expression, out _, out _).ToString());
    }

    [Theory]
    [InlineData("", "Empty")]
    [InlineData("#if a", "Helper")]
    [InlineData("/if", "Helper")]
    [InlineData("else", "Helper")]
    [InlineData(">partial", "Helper")]
    [InlineData("{x", "Helper")]
    [InlineData("x|upper", "Filter")]
    [InlineData("json-params.a[0]", "NotOneVariable")]
    [InlineData("json-params.f(x)", "NotOneVariable")]
    [InlineData("header-params.X Y", "NotOneVariable")]
    [InlineData("'a'", "NotOneVariable")]
    [InlineData("json-params.a/b", "None")]
    [InlineData("message", "UnknownSource")]
    public void Reads_tags(string expression, string expected)
    {
        Assert.Equal(expected, TemplateSyntax.ReadTag(expression, allowMessage: false, out _, out _).ToString());
    }

    [Fact]
    public void Message_is_a_variable_only_where_allowed()
    {
        Assert.Equal(TemplateTagError.None, TemplateSyntax.ReadTag("message", allowMessage: true, out var source, out _));
        Assert.Equal(VariableSource.Message, source);
    }

    [Theory]
    [InlineData(nameof(TemplateKind.Body), "{\"a\": \"x{{t}}\", \"b\": {{t}}, \"c\": \"\\\"{{t}}\\\\\", {{t}}}", "json,raw,json,raw")]
    [InlineData(nameof(TemplateKind.JsonString), "{{t}} \"{{t}}\"", "json,json")]
    [InlineData(nameof(TemplateKind.Raw), "{{t}} \"{{t}}\"", "raw,raw")]
    public void Scanner_tells_whether_each_tag_is_inside_a_json_string(string kind, string template, string expected)
    {
        var scanner = new TemplateScanner(template, Enum.Parse<TemplateKind>(kind));
        var found = new List<string>();
        while (scanner.Next(out var token))
        {
            if (token.Kind == TemplateTokenKind.Tag)
            {
                Assert.Equal("{{t}}", template.Substring(token.Start, token.Length));
                found.Add(token.InJsonString ? "json" : "raw");
            }
        }
        Assert.Equal(expected, string.Join(",", found));
    }

    [Fact]
    public void Scanner_covers_the_text_and_stops_at_an_unterminated_tag()
    {
        const string template = "a {{b}} c {{d";
        var scanner = new TemplateScanner(template, TemplateKind.Body);
        var pieces = new List<string>();
        while (scanner.Next(out var token))
        {
            pieces.Add(token.Kind + ":" + template.Substring(token.Start, token.Length));
        }
        Assert.Equal(["Literal:a ", "Tag:{{b}}", "Literal: c ", "Unterminated:{{d"], pieces);
    }

    /// <summary>Compiled templates and external bodies rendered per request accept and refuse the same tags.</summary>
    [Theory]
    [InlineData("{{path-params.id}}")]
    [InlineData("{{ json-params.a.0 }}")]
    [InlineData("{{json-params.a/b}}")]
    [InlineData("{{header-params.X-Key}}")]
    [InlineData("{{query-params.q}}")]
    [InlineData("{{now}} {{uuid}}")]
    [InlineData("{{json-params}}")]
    [InlineData("{{json-params.a[0]}}")]
    [InlineData("{{json-params.f(x)}}")]
    [InlineData("{{header-params.X Y}}")]
    [InlineData("{{request.id}}")]
    [InlineData("{{ }}")]
    [InlineData("{{x|upper}}")]
    [InlineData("{{#if a}}")]
    [InlineData("{{json-params.a..b}}")]
    [InlineData("{{message}}")]
    [InlineData("abc {{uuid")]
    public async Task Build_time_and_run_time_accept_the_same_tags(string template)
    {
        var errors = new List<TemplateError>();
        TemplateParser.Parse(template, TemplateKind.Body, errors);

        var context = new DefaultHttpContext();
        var request = new Moclojer.Runtime.MockRequest(context, ["7"], new FakeTimeProvider());
        await request.ReadJsonAsync();
        using var output = new Moclojer.Runtime.TemplateBuffer();
        var runtimeError = Moclojer.Runtime.MockTemplate.TryRender(template, request, ["id"], ["7"], output);

        Assert.Equal(errors.Count == 0, runtimeError is null);
    }
}
