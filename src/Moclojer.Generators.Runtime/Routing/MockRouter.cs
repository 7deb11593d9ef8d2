namespace Moclojer.Runtime;

/// <summary>What the router decided for a request .</summary>
public enum MockRouteOutcome
{
    Found,
    MethodNotAllowed,
    NotFound,
}

/// <summary>The result of <see cref="MockRouter.Match"/>.</summary>
public readonly record struct MockRouteMatch(MockRouteOutcome Outcome, MockRoute? Route, string? Allow);

/// <summary>
/// Chooses the endpoint for a request: exact, case-sensitive segment matching (P-7), literal segments before
/// parameters, host-specific before host-less, 405 when the path matches but no method does.
/// Routes are bucketed by segment count and pre-sorted once, so the first match in a bucket is the answer.
/// </summary>
public sealed class MockRouter
{
    private static readonly MockRoute[] NoRoutes = [];
    private readonly MockRoute[][] _bySegmentCount;

    public MockRouter(IEnumerable<MockRoute> routes)
    {
        var all = routes.ToArray();
        Routes = all;
        HasHostRoutes = all.Any(r => r.Host is not null);
        var maxSegments = all.Length == 0 ? 0 : all.Max(r => r.Segments.Length);
        _bySegmentCount = new MockRoute[maxSegments + 1][];
        for (var count = 0; count <= maxSegments; count++)
        {
            // OrderBy is stable: among equally specific routes, declaration order is kept.
            _bySegmentCount[count] = all
                .Where(r => r.Segments.Length == count)
                .OrderBy(r => r, Comparer<MockRoute>.Create(MockRoute.CompareSpecificity))
                .ToArray();
        }
    }

    public IReadOnlyList<MockRoute> Routes { get; }

    /// <summary>Whether any route is bound to a host; when none is, callers need not read the request's host.</summary>
    public bool HasHostRoutes { get; }

    public MockRouteMatch Match(string method, string host, string[] segments)
    {
        var candidates = segments.Length < _bySegmentCount.Length ? _bySegmentCount[segments.Length] : NoRoutes;
        var route = Find(candidates, method, host, segments);
        // HEAD falls back to the GET endpoint; the server sends no body for HEAD.
        if (route is null && method == "HEAD")
        {
            route = Find(candidates, "GET", host, segments);
        }
        if (route is not null)
        {
            return new MockRouteMatch(MockRouteOutcome.Found, route, null);
        }

        List<string>? allowed = null;
        foreach (var candidate in candidates)
        {
            if (candidate.MatchesHost(host) && candidate.MatchesPath(segments))
            {
                allowed ??= [];
                if (!allowed.Contains(candidate.Method))
                {
                    allowed.Add(candidate.Method);
                }
            }
        }
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

    private static MockRoute? Find(MockRoute[] candidates, string method, string host, string[] segments)
    {
        foreach (var candidate in candidates)
        {
            if (candidate.Method == method && candidate.MatchesHost(host) && candidate.MatchesPath(segments))
            {
                return candidate;
            }
        }
        return null;
    }
}
