using System.Globalization;

namespace Moclojer.Runtime;

/// <summary>
/// Finds, for a request the router did not match, the closest endpoint and why it did not match. Only run for
/// unmatched requests that are recorded, so matched requests pay nothing for it.
/// </summary>
internal static class NearMisses
{
    public static NearMiss? Find(MockRouter router, MockRouteMatch match, string method, string host, string[] segments)
    {
        var routes = router.Routes;
        if (routes.Count == 0)
        {
            return null;
        }
        if (match.Outcome == MockRouteOutcome.MethodNotAllowed)
        {
            // The path (and host) matched: the method is the only reason.
            foreach (var route in routes)
            {
                if (route.Segments.Length == segments.Length && route.MatchesHost(host) && route.MatchesPath(segments))
                {
                    return new NearMiss(route.Endpoint, $"method {method}, the path allows {match.Allow}");
                }
            }
        }

        MockRoute? best = null;
        var bestScore = int.MaxValue;
        foreach (var route in routes)
        {
            var score = Score(route, method, host, segments);
            if (score < bestScore)
            {
                best = route;
                bestScore = score;
            }
        }
        return best is null ? null : new NearMiss(best.Endpoint, string.Join("; ", Reasons(best, method, host, segments)));
    }

    /// <summary>Lower is closer: a different segment count weighs most, then literal segments (by edit distance), host, method.</summary>
    private static int Score(MockRoute route, string method, string host, string[] segments)
    {
        var score = Math.Abs(route.Segments.Length - segments.Length) * 100;
        var common = Math.Min(route.Segments.Length, segments.Length);
        for (var i = 0; i < common; i++)
        {
            var literal = route.Segments[i];
            if (literal is null)
            {
                score += segments[i].Length == 0 ? 20 : 0;
            }
            else if (!string.Equals(literal, segments[i], StringComparison.Ordinal))
            {
                score += 20 + Math.Min(EditDistance.Between(literal, segments[i]), 20);
            }
        }
        if (!route.MatchesHost(host))
        {
            score += 15;
        }
        if (route.Method != method && !(method == "HEAD" && route.Method == "GET"))
        {
            score += 10;
        }
        return score;
    }

    private static IEnumerable<string> Reasons(MockRoute route, string method, string host, string[] segments)
    {
        var any = false;
        var common = Math.Min(route.Segments.Length, segments.Length);
        for (var i = 0; i < common; i++)
        {
            var literal = route.Segments[i];
            if (literal is null)
            {
                if (segments[i].Length == 0)
                {
                    any = true;
                    yield return string.Create(CultureInfo.InvariantCulture, $"path segment {i + 1} is empty, the endpoint needs a value for its parameter there");
                }
            }
            else if (!string.Equals(literal, segments[i], StringComparison.Ordinal))
            {
                any = true;
                yield return $"path segment '{segments[i]}' differs from '{literal}'";
            }
        }
        if (route.Segments.Length != segments.Length)
        {
            any = true;
            yield return string.Create(CultureInfo.InvariantCulture,
                $"the path has {segments.Length} segment(s), the endpoint {route.Segments.Length}");
        }
        if (!route.MatchesHost(host))
        {
            any = true;
            yield return $"host {(host.Length == 0 ? "(none)" : host)} differs from {route.Host}";
        }
        if (route.Method != method && !(method == "HEAD" && route.Method == "GET"))
        {
            any = true;
            yield return $"method {method} differs from {route.Method}";
        }
        if (!any)
        {
            yield return "no single difference found";
        }
    }
}
