using Moclojer.Generators;

namespace Moclojer.Generators.Tests;

public class VariableParserTests
{
    [Theory]
    [InlineData("json-params.items.0.price", "json-params.items.0.price")]
    [InlineData("header-params.X-Api-Key", "header-params.X-Api-Key")]
    [InlineData("now", "now")]
    public void Parses_known_roots(string expression, string expected)
    {
        Assert.Equal(VariableError.None, VariableParser.TryParse(expression, out var variable));
        Assert.Equal(expected, variable!.ToString());
    }

    [Theory]
    [InlineData("request.id", "UnknownSource")]
    [InlineData("headers.x", "UnknownSource")]
    [InlineData("path-params", "MissingName")]
    public void Refuses_unknown_roots(string expression, string expected)
    {
        Assert.Equal(expected, VariableParser.TryParse(expression, out _).ToString());
    }
}
