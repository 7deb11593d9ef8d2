namespace Moclojer.Generators.Model;

/// <summary>What serves a route: an endpoint's handler or a websocket's.</summary>
internal enum HandlerKind
{
    Endpoint,
    WebSocket,
}

/// <summary>One route of the service table: which handler (of which file's class) serves which method, host and path.</summary>
internal sealed record RouteSpec(string ClassName, HandlerKind Handler, int HandlerIndex, string Method, string? Host, EquatableArray<string> Segments, EquatableArray<bool> IsParameter, string DisplayName);

/// <summary>What the service file is emitted from: every file's routes, the swagger document and the entry-point choice.</summary>
internal sealed record ServiceSpec(EquatableArray<RouteSpec> Routes, string SwaggerJson, string OpenApiJson, EquatableArray<string> SourceFiles, bool GenerateEntryPoint);
