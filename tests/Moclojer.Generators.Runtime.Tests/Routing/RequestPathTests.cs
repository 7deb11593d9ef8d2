using Moclojer.Runtime;

namespace Moclojer.Generators.Runtime.Tests.Routing;

/// <summary>How the dispatcher cuts a request path into the segments the router matches (P-6, P-7).</summary>
public sealed class RequestPathTests
{
    [Theory]
    [InlineData("/", new string[0])]
    [InlineData("/a", new[] { "a" })]
    [InlineData("/a/", new[] { "a", "" })]
    [InlineData("/a//b", new[] { "a", "", "b" })]
    [InlineData("//", new[] { "", "" })]
    [InlineData("/api/v1/res9/items/42", new[] { "api", "v1", "res9", "items", "42" })]
    [InlineData("/a%2Fb/c", new[] { "a%2Fb", "c" })]
    public void Every_slash_after_the_first_starts_a_segment(string path, string[] expected)
    {
        var count = RequestPath.Count(path);
        var ranges = new Range[count];
        RequestPath.Ranges(path, ranges);

        Assert.Equal(expected, ranges.Select(range => path[range]));
    }
}
