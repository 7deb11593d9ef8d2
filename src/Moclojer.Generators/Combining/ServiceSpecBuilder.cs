using Moclojer.Generators.Model;

namespace Moclojer.Generators.Combining;

/// <summary>
/// Combines every mock file's spec into the service model: the route table (files ordered by path, routes in
/// declaration order), the API documents, and the entry-point choice. Files with errors are listed but not served.
/// </summary>
internal static class ServiceSpecBuilder
{
    public static ServiceSpec Build(IEnumerable<MockFileSpec> files, bool generateEntryPoint)
    {
        var ordered = files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
        var served = ordered.Where(f => !f.HasErrors).ToList();
        var routes = served.SelectMany(f => f.Endpoints.Select(e => new RouteSpec(
            f.ClassName,
            HandlerKind.Endpoint,
            e.Index,
            e.Method,
            e.Host,
            e.Segments.Select(s => s.Text).ToEquatableArray(),
            e.Segments.Select(s => s.IsParameter).ToEquatableArray(),
            e.Route + " in " + f.RelativePath)))
            // WS-1: a websocket accepts upgrades (GET) on its path.
            .Concat(served.SelectMany(f => f.WebSockets.Select(s => new RouteSpec(
                f.ClassName,
                HandlerKind.WebSocket,
                s.Index,
                "GET",
                null,
                s.Segments.Select(x => x.Text).ToEquatableArray(),
                s.Segments.Select(x => x.IsParameter).ToEquatableArray(),
                "WEBSOCKET " + s.Path + " in " + f.RelativePath))));
        var swagger = SwaggerBuilder.Build(served.SelectMany(f => f.Endpoints));
        // O-1: a service built from an OpenAPI document serves that document (as JSON), not a generated one.
        var openApi = served.Select(f => f.OpenApiJson).FirstOrDefault(json => json is not null)
            ?? OpenApiBuilder.Build(served.SelectMany(f => f.Endpoints));
        return new ServiceSpec(routes.ToEquatableArray(), swagger, openApi, ordered.Select(f => f.RelativePath).ToEquatableArray(), generateEntryPoint);
    }
}
