using Moclojer.Generators.Shared;

namespace Moclojer.Generators.Tests.Parsing;

/// <summary>S-11, V-21: the JSON reading of templates in src/Shared/TemplateSyntax.cs (generator and runtime alike).</summary>
public class JsonTemplateTests
{
    [Theory]
    [InlineData("""{"id": {{path-params.id}}, "tags": [{{json-params.a}}, "x{{json-params.b}}y"]}""")]
    [InlineData("""{{json-params}}""")]
    [InlineData(""" [ ] """)]
    [InlineData("""{"{{json-params.key}}": -0.5e+3, "t": true, "f": false, "n": null, "u": "\u00e9\n\"{{now}}\\"}""")]
    [InlineData("""{"a": "{% not a tag %} { single }"}""")]
    public void Accepts_one_json_document_with_tags_read_as_values(string template)
    {
        Assert.Null(JsonTemplate.Check(template));
    }

    [Theory]
    [InlineData("""{"id": {{path-params.id}}, "amount": {{json-params.amount}}""", 59, "expected ',' or '}'", "the end of the body")]
    [InlineData("""{"a": 1,}""", 8, "expected a key (a string)", "'}'")]
    [InlineData("""[1, 2,]""", 6, "expected a value", "']'")]
    [InlineData("""{"a" 1}""", 5, "expected ':'", "'1}'")]
    [InlineData("""{{{json-params.k}}: 1}""", 0, "", "")] // "{{{" starts a tag: an invalid tag, not checked as JSON here
    [InlineData("""{ {{json-params.k}}: 1}""", 2, "expected a key (a string) or '}'", "'{{json-param…'")]
    [InlineData("""{"a": {{json-params.a}} {{json-params.b}}}""", 24, "expected ',' or '}'", "'{{json-param…'")]
    [InlineData("""{"a": pong}""", 6, "expected a value", "'pong}'")]
    [InlineData("pong", 0, "expected a value", "'pong'")]
    [InlineData("""{"a": 01}""", 7, "expected ',' or '}'", "'1}'")]
    [InlineData("""{"a": -}""", 7, "expected a digit", "'}'")]
    [InlineData("""{"a": "x\q"}""", 9, "expected an escape character (one of \" \\ / b f n r t u) after '\\'", "'q\"}'")]
    [InlineData("""{"a": "\u12"}""", 11, "expected four hexadecimal digits after '\\u'", "'\"}'")]
    [InlineData("""{"a": "x\{{now}}"}""", 9, "expected an escape character (one of \" \\ / b f n r t u) after '\\'", "'{{now}}\"}'")]
    [InlineData("""{"a": "open""", 11, "expected '\"' to close the string", "the end of the body")]
    [InlineData("{\"a\": \"line\nbreak\"}", 11, "expected an escape such as \\n instead of a control character inside a string", "a line break")]
    [InlineData("""{"a": 1} x""", 9, "expected the end of the body", "'x'")]
    public void Reports_where_the_document_breaks_and_what_was_expected(string template, int offset, string expected, string found)
    {
        var error = JsonTemplate.Check(template);
        if (expected.Length == 0)
        {
            Assert.NotNull(error); // "{{{json-params.k}}" reads as the tag "{{{json-params.k}}": a value in a key position
            return;
        }
        Assert.Equal(new JsonTemplateError(offset, expected, found), error);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("-0.5", true)]
    [InlineData("2E-3", true)]
    [InlineData("true", true)]
    [InlineData("null", true)]
    [InlineData("01", false)]
    [InlineData("1.", false)]
    [InlineData(".5", false)]
    [InlineData("+1", false)]
    [InlineData(" 1", false)]
    [InlineData("1, \"injected\": true", false)]
    [InlineData("TRUE", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_text_is_a_json_literal_only_when_it_is_exactly_one(string? text, bool literal)
    {
        Assert.Equal(literal, JsonTemplate.IsLiteral(text));
    }

    [Fact]
    public void Compacting_follows_strings_across_literal_parts()
    {
        var inString = false;
        var escaped = false;
        const string text = "{ \"a b\" : \"x \\\" ";
        Assert.Equal("{\"a b\":\"x \\\" ", JsonTemplate.Compact(text, 0, text.Length, ref inString, ref escaped));
        Assert.True(inString);
        const string rest = " y\" , \"c\" : 1 }";
        Assert.Equal(" y\",\"c\":1}", JsonTemplate.Compact(rest, 0, rest.Length, ref inString, ref escaped));
        Assert.False(inString);
    }

    [Theory]
    [InlineData("""{"user": "{{message}}"}""", true)]
    [InlineData("""  [1, {{json-params.n}}]""", true)]
    [InlineData("""{{json-params}}""", false)]
    [InlineData("""pong""", false)]
    [InlineData("""42""", false)]
    [InlineData("""{not json}""", false)]
    public void A_websocket_message_is_json_when_it_is_an_object_or_array_document(string text, bool json)
    {
        Assert.Equal(json, JsonTemplate.IsJsonDocument(text));
    }
}
