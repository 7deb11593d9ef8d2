using Moclojer.Generators.Model;

namespace Moclojer.Generators.Combining;

/// <summary>The endpoints grouped as API documents list them: by path in <c>{name}</c> form, one operation per method.</summary>
internal static class ApiPaths
{
    public static List<(string Path, List<EndpointSpec> Operations)> Group(IEnumerable<EndpointSpec> endpoints)
    {
        var paths = new List<(string Path, List<EndpointSpec> Operations)>();
        foreach (var endpoint in endpoints)
        {
            var path = endpoint.Segments.Count == 0
                ? "/"
                : "/" + string.Join("/", endpoint.Segments.Select(s => s.IsParameter ? "{" + s.Text + "}" : s.Text));
            var entry = paths.FirstOrDefault(p => p.Path == path);
            if (entry.Operations is null)
            {
                entry = (path, []);
                paths.Add(entry);
            }
            // Endpoints that differ only by host share one operation: the documents' paths carry no host.
            if (!entry.Operations.Any(o => o.Method == endpoint.Method))
            {
                entry.Operations.Add(endpoint);
            }
        }
        return paths;
    }
}
