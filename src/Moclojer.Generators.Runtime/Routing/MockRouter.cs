namespace Moclojer.Runtime;

/// <summary>What the router decided for a request .</summary>
public enum MockRouteOutcome
{
    Found,
    MethodNotAllowed,
    NotFound,
}

/// <summary>The result of <see cref="MockRouter.Match(string, string, ReadOnlySpan{char}, ReadOnlySpan{Range})"/>.</summary>
public readonly record struct MockRouteMatch(MockRouteOutcome Outcome, MockRoute? Route, string? Allow);

/// <summary>
/// Chooses the endpoint for a request: exact, case-sensitive segment matching (P-7), literal segments before
/// parameters, host-specific before host-less, HEAD falling back to GET, 405 when the path matches
/// but no method does. The routes form a trie per segment count (<see cref="RouteTrie"/>); the generator emits that
/// trie as code (<see cref="MockRouteTrie"/>: <c>switch</c> statements on segment text), so a request costs what its
/// path's length costs, whatever the number of routes, and matching allocates nothing.
/// </summary>
public sealed class MockRouter
{
    private readonly MockRouteTrie _trie;
    private readonly MockRoute[] _ordered;

    /// <summary>A router over a trie compiled by the generator.</summary>
    /// <param name="routes">The routes in declaration order.</param>
    /// <param name="order">Route indexes in the order the trie's leaves list them (<see cref="RouteTrie.Order"/>).</param>
    /// <param name="maxSegments">The most segments any route has.</param>
    /// <param name="trie">The compiled trie.</param>
    public MockRouter(IReadOnlyList<MockRoute> routes, int[] order, int maxSegments, MockRouteTrie trie)
    {
        Routes = routes;
        HasHostRoutes = routes.Any(r => r.Host is not null);
        MaxSegments = maxSegments;
        _ordered = Array.ConvertAll(order, i => routes[i]);
        _trie = trie;
    }

    /// <summary>
    /// A router for routes assembled without the generator (hand-built services): the same trie, walked from its
    /// nodes instead of compiled code. A node finds the literal child of a segment by a hash lookup of the segment's
    /// text, so here too a request costs what its path's length costs, whatever the number of routes.
    /// </summary>
    public MockRouter(IEnumerable<MockRoute> routes)
    {
        var all = routes.ToArray();
        var shape = RouteTrie.Build(Array.ConvertAll(all, r => r.Segments), Array.ConvertAll(all, r => r.Host is not null));
        Routes = all;
        HasHostRoutes = all.Any(r => r.Host is not null);
        MaxSegments = shape.MaxSegments;
        _ordered = Array.ConvertAll(shape.Order, i => all[i]);
        var roots = new TableNode?[shape.MaxSegments + 1];
        foreach (var (count, root) in shape.Roots)
        {
            roots[count] = new TableNode(root);
        }
        _trie = (ref MockRouteWalk walk) => roots[walk.Count] is { } root && root.Walk(ref walk);
    }

    /// <summary>The routes in declaration order.</summary>
    public IReadOnlyList<MockRoute> Routes { get; }

    /// <summary>Whether any route is bound to a host; when none is, callers need not read the request's host.</summary>
    public bool HasHostRoutes { get; }

    /// <summary>The most segments any route has: a longer path matches nothing.</summary>
    public int MaxSegments { get; }

    /// <summary>Matches a path given as its decoded segments (a segment may contain "/": it stays one segment).</summary>
    public MockRouteMatch Match(string method, string host, string[] segments)
    {
        var path = string.Concat(segments);
        var ranges = new Range[segments.Length];
        var start = 0;
        for (var i = 0; i < segments.Length; i++)
        {
            ranges[i] = new Range(start, start + segments[i].Length);
            start += segments[i].Length;
        }
        return Match(method, host, path, ranges);
    }

    /// <summary>
    /// Matches the path whose segment <c>i</c> is <c>path[segments[i]]</c> (decoded). <paramref name="host"/> is the
    /// request's host without port (only compared when <see cref="HasHostRoutes"/>). Allocates only to answer 405.
    /// </summary>
    public MockRouteMatch Match(string method, string host, ReadOnlySpan<char> path, ReadOnlySpan<Range> segments)
    {
        if (segments.Length > MaxSegments)
        {
            return new MockRouteMatch(MockRouteOutcome.NotFound, null, null);
        }
        var walk = new MockRouteWalk(_ordered, method, host, path, segments);
        if (_trie(ref walk))
        {
            return new MockRouteMatch(MockRouteOutcome.Found, walk.Route, null);
        }
        // HEAD falls back to the GET endpoint; the server sends no body for HEAD.
        if (method == "HEAD")
        {
            walk.Retry("GET");
            if (_trie(ref walk))
            {
                return new MockRouteMatch(MockRouteOutcome.Found, walk.Route, null);
            }
        }
        walk.Collect();
        _trie(ref walk);
        var allowed = walk.Allowed;
        if (allowed is null)
        {
            return new MockRouteMatch(MockRouteOutcome.NotFound, null, null);
        }
        if (allowed.Contains("GET") && !allowed.Contains("HEAD"))
        {
            allowed.Add("HEAD");
        }
        return new MockRouteMatch(MockRouteOutcome.MethodNotAllowed, null, string.Join(", ", allowed));
    }

    /// <summary>A node of a hand-built table's trie: literal children looked up by the segment's text, then the parameter child.</summary>
    private sealed class TableNode
    {
        private readonly int _depth;
        private readonly int _first;
        private readonly int _count;
        private readonly Dictionary<string, TableNode>.AlternateLookup<ReadOnlySpan<char>> _literals;
        private readonly bool _hasLiterals;
        private readonly TableNode? _parameter;

        public TableNode(RouteTrieNode node)
        {
            _depth = node.Depth;
            _first = node.First;
            _count = node.Routes.Count;
            var literals = new Dictionary<string, TableNode>(node.Literals.Count, StringComparer.Ordinal);
            foreach (var (text, child) in node.Literals)
            {
                literals.Add(text, new TableNode(child));
            }
            _literals = literals.GetAlternateLookup<ReadOnlySpan<char>>();
            _hasLiterals = literals.Count > 0;
            _parameter = node.Parameter is { } parameter ? new TableNode(parameter) : null;
        }

        /// <summary>R-1: the literal child first, then the parameter one; a leaf lets the walk try its routes.</summary>
        public bool Walk(ref MockRouteWalk walk)
        {
            if (_depth == walk.Count)
            {
                return walk.Leaf(_first, _count);
            }
            var segment = walk.Segment(_depth);
            if (_hasLiterals && _literals.TryGetValue(segment, out var literal) && literal.Walk(ref walk))
            {
                return true;
            }
            return _parameter is not null && segment.Length != 0 && _parameter.Walk(ref walk);
        }
    }
}
