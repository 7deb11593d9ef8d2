namespace Moclojer.Runtime;

/// <summary>
/// The trie of a route table as code: for the walk's path, visits every leaf whose literal segments equal the path's
/// and whose parameters each take a non-empty segment, literal children before the parameter child, and stops
/// as soon as <see cref="MockRouteWalk.Leaf"/> returns true. The generator emits one for every service.
/// </summary>
public delegate bool MockRouteTrie(ref MockRouteWalk walk);

/// <summary>
/// A request path as the router's trie walks it: the segments are ranges of the request target (percent-decoded only
/// when the target has escapes), so walking allocates nothing. Built by <see cref="MockRouter.Match(string, string, ReadOnlySpan{char}, ReadOnlySpan{Range})"/>.
/// </summary>
public ref struct MockRouteWalk
{
    private readonly MockRoute[] _ordered;
    private readonly ReadOnlySpan<char> _path;
    private readonly ReadOnlySpan<Range> _segments;
    private readonly string _host;
    private string _method;
    private bool _collect;

    internal MockRouteWalk(MockRoute[] ordered, string method, string host, ReadOnlySpan<char> path, ReadOnlySpan<Range> segments)
    {
        _ordered = ordered;
        _method = method;
        _host = host;
        _path = path;
        _segments = segments;
        _collect = false;
        Route = null;
        Allowed = null;
    }

    /// <summary>The number of segments of the path ("/" has none, "/a/" has two).</summary>
    public readonly int Count => _segments.Length;

    /// <summary>The text of segment <paramref name="index"/>, decoded (P-6).</summary>
    public readonly ReadOnlySpan<char> Segment(int index) => _path[_segments[index]];

    /// <summary>The route found by the last walk.</summary>
    internal MockRoute? Route { get; private set; }

    /// <summary>After a collecting walk: the methods of the routes whose path and host match, in precedence order.</summary>
    internal List<string>? Allowed { get; private set; }

    /// <summary>
    /// Offers the leaf whose routes are <paramref name="count"/> entries of the route order from <paramref name="first"/>:
    /// true when one of them serves the request's method and host (the walk stops there).
    /// </summary>
    public bool Leaf(int first, int count)
    {
        var ordered = _ordered;
        for (var i = first; i < first + count; i++)
        {
            var route = ordered[i];
            if (!route.MatchesHost(_host))
            {
                continue;
            }
            if (_collect)
            {
                Allowed ??= [];
                if (!Allowed.Contains(route.Method))
                {
                    Allowed.Add(route.Method);
                }
            }
            else if (string.Equals(route.Method, _method, StringComparison.Ordinal))
            {
                Route = route;
                return true;
            }
        }
        return false;
    }

    /// <summary>Walks again for another method (R-4: HEAD falls back to GET).</summary>
    internal void Retry(string method) => _method = method;

    /// <summary>Walks again to list the methods the path allows (405).</summary>
    internal void Collect() => _collect = true;
}
