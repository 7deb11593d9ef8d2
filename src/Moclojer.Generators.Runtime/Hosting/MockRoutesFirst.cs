using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Moclojer.Runtime;

/// <summary>
/// The middleware <see cref="MoclojerHosting.UseMockRoutesFirst"/> puts ahead of ASP.NET Core's routing: a request a
/// mock endpoint matches is answered at once, without endpoint routing, the catch-all endpoint and its middleware in
/// between; every other request goes on to routing as before (the built-in journal and health endpoints, 404, 405,
/// the built-in documents). The answer is the same either way, because the catch-all endpoint ranks last: only a
/// request to another endpoint's path is answered differently, and those requests are passed on.
/// </summary>
internal sealed class MockRoutesFirst(MockDispatcher dispatcher, MockRouter router, IEndpointRouteBuilder endpoints, RequestDelegate next)
{
    private readonly Lock _lock = new();
    private OtherEndpoints? _others;

    public Task InvokeAsync(HttpContext context)
    {
        // WebSocket upgrades need the WebSockets middleware, which runs after routing.
        if (MoclojerHosting.MayBeWebSocketRequest(context) || Others().Take(context.Request))
        {
            return next(context);
        }
        return dispatcher.TryDispatchMatched(context) ?? next(context);
    }

    /// <summary>Read at the first request: endpoints are all mapped by then.</summary>
    private OtherEndpoints Others()
    {
        if (_others is { } others)
        {
            return others;
        }
        lock (_lock)
        {
            return _others ??= OtherEndpoints.Of(endpoints.DataSources, router.Routes);
        }
    }

    /// <summary>The paths of the application's endpoints other than the mock catch-all.</summary>
    private sealed class OtherEndpoints
    {
        private readonly HashSet<string>? _paths;

        private OtherEndpoints(HashSet<string>? paths) => _paths = paths;

        /// <summary>
        /// Literal paths (the journals, the reset, the health check) are compared as routing compares them (any case,
        /// one trailing slash). Only the paths some mock route could match are kept: when none is, no request needs
        /// the lookup. An endpoint with a parameter or another kind of endpoint could take any path, so then every
        /// request goes through routing.
        /// </summary>
        public static OtherEndpoints Of(IEnumerable<EndpointDataSource> sources, IReadOnlyList<MockRoute> routes)
        {
            var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var endpoint in sources.SelectMany(static source => source.Endpoints))
            {
                if (endpoint.Metadata.GetMetadata<MockCatchAllMetadata>() is not null)
                {
                    continue;
                }
                if (endpoint is not RouteEndpoint route || !IsLiteral(route.RoutePattern))
                {
                    return new(null);
                }
                var segments = route.RoutePattern.PathSegments.Select(static s => ((RoutePatternLiteralPart)s.Parts[0]).Content).ToArray();
                if (routes.Any(mock => MayTake(mock, segments)))
                {
                    paths.Add(Normalize("/" + string.Join('/', segments)));
                }
            }
            return new(paths);
        }

        /// <summary>Whether <paramref name="mock"/> matches the path of <paramref name="segments"/> in some case.</summary>
        private static bool MayTake(MockRoute mock, string[] segments) =>
            mock.Segments.Length == segments.Length
            && mock.Segments.Select((text, i) => text is null || string.Equals(text, segments[i], StringComparison.OrdinalIgnoreCase)).All(static m => m);

        /// <summary>Whether <paramref name="request"/> is left to routing (its path is read only when some path may be).</summary>
        public bool Take(HttpRequest request) => _paths is null || (_paths.Count > 0 && _paths.Contains(Normalize(request.Path.Value ?? "/")));

        private static bool IsLiteral(RoutePattern pattern) =>
            pattern.Parameters.Count == 0
            && pattern.PathSegments.All(static segment => segment.Parts.Count == 1 && segment.Parts[0] is RoutePatternLiteralPart);

        private static string Normalize(string path) => path.Length > 1 && path[^1] == '/' ? path[..^1] : path;
    }
}

/// <summary>Marks the mock catch-all endpoint, which <see cref="MockRoutesFirst"/> stands in front of.</summary>
internal sealed class MockCatchAllMetadata
{
    public static readonly MockCatchAllMetadata Instance = new();
}
