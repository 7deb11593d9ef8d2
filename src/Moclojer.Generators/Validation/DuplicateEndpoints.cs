using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Validation;

/// <summary>
/// E-4: same method, host and path shape, within one file or across files; reported on the second. Also the
/// endpoints' names in generated code (<c>mock.Endpoints.X</c>), which must be unique across the project's files.
/// </summary>
internal static class DuplicateEndpoints
{
    public static EquatableArray<DiagnosticInfo> Find(IEnumerable<EquatableArray<RouteKey>> files)
    {
        var seen = new Dictionary<(string, string, string), RouteKey>();
        var names = new Dictionary<string, RouteKey>(StringComparer.Ordinal);
        var diagnostics = new List<DiagnosticInfo>();
        foreach (var route in files.SelectMany(f => f).OrderBy(r => r.PathLocation.FilePath, StringComparer.Ordinal).ThenBy(r => r.PathLocation.Start))
        {
            var key = (route.Method, route.Host, route.Shape);
            if (seen.TryGetValue(key, out var first))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.Id(DiagnosticKind.DuplicateEndpoint), route.PathLocation, new EquatableArray<string>(new[] { Describe(route), Where(first.PathLocation) })));
                continue; // one mistake, one error: the duplicate's name is not reported again
            }
            seen.Add(key, route);
            if (names.TryGetValue(route.Name, out var named))
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.Id(DiagnosticKind.DuplicateEndpointName), route.NameLocation, new EquatableArray<string>(new[] { route.Name, Describe(named), Where(named.NameLocation) })));
            }
            else
            {
                names.Add(route.Name, route);
            }
        }
        return diagnostics.ToEquatableArray();
    }

    private static string Describe(RouteKey route) => route.Method + " " + route.Path + (route.Host.Length == 0 ? string.Empty : " (host " + route.Host + ")");

    private static string Where(LocationInfo location) =>
        System.IO.Path.GetFileName(location.FilePath) + "(" + (location.StartLine + 1) + "," + (location.StartColumn + 1) + ")";
}
