using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Validation;

/// <summary>E-4: same method, host and path shape, within one file or across files; reported on the second.</summary>
internal static class DuplicateEndpoints
{
    public static EquatableArray<DiagnosticInfo> Find(IEnumerable<EquatableArray<RouteKey>> files)
    {
        var seen = new Dictionary<(string, string, string), RouteKey>();
        var diagnostics = new List<DiagnosticInfo>();
        foreach (var route in files.SelectMany(f => f).OrderBy(r => r.PathLocation.FilePath, StringComparer.Ordinal).ThenBy(r => r.PathLocation.Start))
        {
            var key = (route.Method, route.Host, route.Shape);
            if (seen.TryGetValue(key, out var first))
            {
                var where = System.IO.Path.GetFileName(first.PathLocation.FilePath) + "(" + (first.PathLocation.StartLine + 1) + "," + (first.PathLocation.StartColumn + 1) + ")";
                var what = route.Method + " " + route.Path + (route.Host.Length == 0 ? string.Empty : " (host " + route.Host + ")");
                diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.Id(DiagnosticKind.DuplicateEndpoint), route.PathLocation, new EquatableArray<string>(new[] { what, where })));
            }
            else
            {
                seen.Add(key, route);
            }
        }
        return diagnostics.ToEquatableArray();
    }
}
