using System.Text;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Combining;

/// <summary>The endpoints grouped as API documents list them: by path in <c>{name}</c> form, one operation per method.</summary>
internal static class ApiPaths
{
    public static List<(string Path, List<EndpointSpec> Operations)> Group(IEnumerable<EndpointSpec> endpoints)
    {
        var paths = new List<(string Path, List<EndpointSpec> Operations)>();
        var byPath = new Dictionary<string, List<EndpointSpec>>(StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var endpoint in endpoints)
        {
            var path = Path(endpoint, text);
            if (!byPath.TryGetValue(path, out var operations))
            {
                byPath.Add(path, operations = []);
                paths.Add((path, operations));
            }
            // Endpoints that differ only by host share one operation: the documents' paths carry no host.
            if (!operations.Exists(o => o.Method == endpoint.Method))
            {
                operations.Add(endpoint);
            }
        }
        return paths;
    }

    /// <summary>The path in <c>{name}</c> form (<c>/</c> for the root).</summary>
    private static string Path(EndpointSpec endpoint, StringBuilder text)
    {
        if (endpoint.Segments.Count == 0)
        {
            return "/";
        }
        text.Clear();
        foreach (var segment in endpoint.Segments)
        {
            text.Append('/');
            if (segment.IsParameter)
            {
                text.Append('{').Append(segment.Text).Append('}');
            }
            else
            {
                text.Append(segment.Text);
            }
        }
        return text.ToString();
    }
}
