using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using Moclojer.Generators.Parsing;
using Moclojer.Generators.Shared;

namespace Moclojer.Generators.Tests.Parsing;

public class TemplateParserTests
{
    private static (TemplateSpec Template, List<TemplateError> Errors) Parse(string text, TemplateKind kind = TemplateKind.Body)
    {
        var errors = new List<TemplateError>();
        return (TemplateParser.Parse(text, kind, errors), errors);
    }

    private static string Describe(TemplateSpec template) =>
        string.Concat(template.Parts.Select(p => p.IsLiteral ? p.Literal : $"<{p.Variable}{(p.InJsonString ? ":json" : ":raw")}>"));

    [Theory]
    [InlineData("{\"id\": {{path-params.id}}}", "{\"id\": <path-params.id:raw>}")]
    [InlineData("{\"name\": \"{{json-params.name}}\"}", "{\"name\": \"<json-params.name:json>\"}")]
    [InlineData("\"a \\\" {{uuid}}\" {{now}}", "\"a \\\" <uuid:json>\" <now:raw>")]
    [InlineData("{{ query-params.q }}{{query-params.q}}", "<query-params.q:raw><query-params.q:raw>")]
    [InlineData("{ single } {% tag %} {# c #} }}", "{ single } {% tag %} {# c #} }}")]
    [InlineData("pong", "pong")]
    public void Follows_the_json_string_context_of_the_literal_text(string text, string expected)
    {
        var (template, errors) = Parse(text);
        Assert.Empty(errors);
        Assert.Equal(expected, Describe(template));
    }

    [Fact]
    public void Header_and_url_templates_insert_raw()
    {
        var (template, _) = Parse("\"{{header-params.X-Id}}\"", TemplateKind.Raw);
        Assert.Equal("\"<header-params.X-Id:raw>\"", Describe(template));
    }

    [Theory]
    [InlineData("a {{path-params.id", "UnterminatedTemplate", 2)]
    [InlineData("{{ }}", "InvalidTemplate", 0)]
    [InlineData("x{{#if a}}y{{/if}}", "InvalidTemplate", 1)]
    [InlineData("{{json-params.name|upper}}", "InvalidTemplate", 0)]
    [InlineData("{{else}}", "InvalidTemplate", 0)]
    [InlineData("ab {{ request.id }}", "UnknownVariableSource", 6)]
    [InlineData("{{headers.x}}", "UnknownVariableSource", 2)]
    public void Reports_mistakes_at_their_offset(string text, string kind, int offset)
    {
        var error = Parse(text).Errors.First(); // "{{#if}}...{{/if}}" reports both tags; the first is checked
        Assert.Equal(kind, error.Kind.ToString());
        Assert.Equal(offset, error.Offset);
    }
}

public class PathParserTests
{
    [Fact]
    public void Reads_literals_and_typed_parameters()
    {
        var errors = new List<TemplateError>();
        var segments = PathParser.Parse("/users/:id|int/caf%C3%A9/:slug", errors);

        Assert.Empty(errors);
        Assert.Equal(["users", "id", "café", "slug"], segments.Select(s => s.Text));
        Assert.Equal([false, true, false, true], segments.Select(s => s.IsParameter));
        Assert.Equal(MockParamType.Int, segments[1].Type);
        Assert.Equal(MockParamType.String, segments[3].Type);
        Assert.Equal("/users/\0/café/\0", PathParser.Shape(segments));
    }

    [Theory]
    [InlineData("/", 0)]
    [InlineData("/a/", 2)]
    public void Root_has_no_segments_and_a_trailing_slash_is_a_segment(string path, int count) =>
        Assert.Equal(count, PathParser.Parse(path, []).Count);

    [Theory]
    [InlineData("users", "InvalidPath")]
    [InlineData("/a/*", "InvalidPath")]
    [InlineData("/a/{id}", "InvalidPath")]
    [InlineData("/a b", "InvalidPath")]
    [InlineData("/a/:1x", "InvalidPath")]
    [InlineData("/a/:id|integer", "UnknownParamType")]
    [InlineData("/a/:id/:id", "DuplicatePathParam")]
    public void Refuses_bad_paths(string path, string kind)
    {
        var errors = new List<TemplateError>();
        PathParser.Parse(path, errors);
        Assert.Equal(kind, Assert.Single(errors).Kind.ToString());
    }
}

public class YamlCoreSchemaTests
{
    [Theory]
    [InlineData("1", "1")]
    [InlineData("0777", "777")]
    [InlineData("+5", "5")]
    [InlineData("-0", "0")]
    [InlineData("0x1F", "31")]
    [InlineData("0o17", "15")]
    [InlineData("1.50", "1.50")]
    [InlineData(".5", "0.5")]
    [InlineData("1e3", "1e3")]
    [InlineData("true", "true")]
    [InlineData("False", "false")]
    [InlineData("~", "null")]
    [InlineData("yes", null)]
    [InlineData("on", null)]
    [InlineData(".inf", null)]
    [InlineData("12abc", null)]
    public void Resolves_plain_scalars_as_yaml_1_2(string plain, string? json) =>
        Assert.Equal(json, YamlCoreSchema.PlainToJson(plain));
}

public class MockFileParserTests
{
    [Fact]
    public void Reads_an_endpoint_with_defaults()
    {
        var result = MockFileParser.Parse("/p/mocks.yml", "mocks.yml", "- endpoint:\n    method: post\n    path: /a\n    response: {}\n");

        Assert.Empty(result.Diagnostics);
        var endpoint = Assert.Single(result.Spec.Endpoints);
        Assert.Equal("POST", endpoint.Method);
        Assert.Equal(200, endpoint.Response.Status);
        Assert.Null(endpoint.Response.Body);
        Assert.Equal("post-localhost-a", endpoint.Tag);
    }

    [Fact]
    public void A_yaml_mapping_body_becomes_json_with_templates_inside_strings()
    {
        var result = MockFileParser.Parse("/p/mocks.yml", "mocks.yml",
            "- endpoint:\n    path: /a/:id\n    response:\n      body:\n        id: '{{path-params.id}}'\n        n: 007\n        s: \"1\"\n        ok: yes\n        list: [1, x]\n");

        Assert.Empty(result.Diagnostics);
        var body = result.Spec.Endpoints[0].Response.Body!;
        var variable = Assert.Single(body.Parts, p => p.Variable is not null);
        Assert.True(variable.InJsonString);
        Assert.Equal("{\"id\":\"\",\"n\":7,\"s\":\"1\",\"ok\":\"yes\",\"list\":[1,\"x\"]}", string.Concat(body.Parts.Select(p => p.Literal)));
    }

    [Fact]
    public void A_file_with_errors_serves_nothing_but_reports_everything()
    {
        var result = MockFileParser.Parse("/p/mocks.yml", "mocks.yml", "- endpoint:\n    path: /a\n    response: {}\n- endpoint:\n    path: b\n    response: {}\n");

        Assert.True(result.Spec.HasErrors);
        Assert.Empty(result.Spec.Endpoints);
        Assert.Single(result.Diagnostics);
    }
}
