using Moclojer.Generators.Model;

namespace Moclojer.Generators.Parsing;

/// <summary>
/// What the templates and conditions of one item (an endpoint or a websocket) may refer to. It is passed down to
/// every reader that compiles a template, so nothing about the current item is kept in the parser between calls.
/// </summary>
/// <param name="Path">The item's path as written, for messages about undeclared path parameters.</param>
/// <param name="Parameters">The path's parameter segments: the only <c>path-params.*</c> names in scope (T-2).</param>
/// <param name="AllowMessage">WS-3: <c>{{message}}</c> is a variable in websocket responses only.</param>
/// <param name="EndpointIndex">The endpoint's index in the file, which a build-time external body is filed under; null in a websocket.</param>
internal readonly record struct ItemScope(string Path, IReadOnlyList<PathSegment> Parameters, bool AllowMessage, int? EndpointIndex)
{
    public static ItemScope ForEndpoint(int index, string? path, List<PathSegment> segments) =>
        new(path ?? string.Empty, ParametersOf(segments), AllowMessage: false, index);

    public static ItemScope ForWebSocket(string? path, List<PathSegment> segments) =>
        new(path ?? string.Empty, ParametersOf(segments), AllowMessage: true, EndpointIndex: null);

    public bool Declares(string name) => Parameters.Any(p => p.Text == name);

    /// <summary>The declared type of a path parameter (null when it has none or is not declared).</summary>
    public MockParamType? TypeOf(string name) => Parameters.FirstOrDefault(p => p.Text == name)?.Type;

    private static IReadOnlyList<PathSegment> ParametersOf(List<PathSegment> segments) => segments.Where(s => s.IsParameter).ToList();
}
