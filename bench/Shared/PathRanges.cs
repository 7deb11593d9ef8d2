namespace Moclojer.Benchmarks;

/// <summary>
/// The segment ranges of a request path, as the dispatcher hands them to the router (the runtime's own splitter is
/// internal): benchmarks that call <c>MockRouter.Match</c> directly compute them once, outside the measured code.
/// Compiled into every benchmark project that needs it (a linked file).
/// </summary>
internal static class PathRanges
{
    /// <summary>The ranges of the segments of <paramref name="path"/> ("/a/b" gives 1..2 and 3..4).</summary>
    public static Range[] Of(string path)
    {
        var ranges = new List<Range>();
        var start = 1;
        while (start <= path.Length)
        {
            var slash = path.IndexOf('/', start);
            var end = slash < 0 ? path.Length : slash;
            ranges.Add(new Range(start, end));
            start = end + 1;
        }
        return [.. ranges];
    }
}
