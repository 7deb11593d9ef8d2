using System.Text;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Combining;

/// <summary>R-6: the Swagger 2.0 document of the endpoints, written at build time.</summary>
internal static class SwaggerBuilder
{
    public static string Build(IEnumerable<EndpointSpec> endpoints)
    {
        var paths = ApiPaths.Group(endpoints);
        var json = new StringBuilder();
        json.Append("{\"swagger\":\"2.0\",\"info\":{\"title\":\"moclojer-mock\",\"description\":\"my mock\",\"version\":\"1.0.0\"},\"paths\":{");
        for (var i = 0; i < paths.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }
            String(json, paths[i].Path).Append(":{");
            var operations = paths[i].Operations;
            for (var j = 0; j < operations.Count; j++)
            {
                var operation = operations[j];
                if (j > 0)
                {
                    json.Append(',');
                }
                String(json, operation.Method.ToLowerInvariant()).Append(":{\"summary\":");
                String(json, "Generated from " + operation.UntypedPath).Append(",\"tags\":[");
                String(json, operation.Tag).Append("],\"parameters\":[");
                var parameters = operation.Segments.Where(s => s.IsParameter).Select(s => (s.Text, "path", s.Type))
                    .Concat(operation.Query.Select(q => (q.Name, "query", q.Type))).ToList();
                for (var k = 0; k < parameters.Count; k++)
                {
                    if (k > 0)
                    {
                        json.Append(',');
                    }
                    json.Append("{\"name\":");
                    String(json, parameters[k].Item1).Append(",\"in\":\"").Append(parameters[k].Item2).Append("\",\"required\":")
                        .Append(parameters[k].Item2 == "path" ? "true" : "false").Append(",\"type\":\"").Append(SwaggerType(parameters[k].Item3)).Append('"');
                    var format = SwaggerFormat(parameters[k].Item3);
                    if (format is not null)
                    {
                        json.Append(",\"format\":\"").Append(format).Append('"');
                    }
                    json.Append('}');
                }
                json.Append("],\"responses\":{\"").Append(operation.Response.Status).Append("\":{\"description\":\"mock response\"}}}");
            }
            json.Append('}');
        }
        json.Append("}}");
        return json.ToString();
    }

    private static string SwaggerType(MockParamType type) => type switch
    {
        MockParamType.Int => "integer",
        MockParamType.Bool => "boolean",
        MockParamType.Float or MockParamType.Double => "number",
        _ => "string",
    };

    private static string? SwaggerFormat(MockParamType type) => type switch
    {
        MockParamType.Int => "int64",
        MockParamType.Float => "float",
        MockParamType.Double => "double",
        MockParamType.Uuid => "uuid",
        MockParamType.Date => "date",
        _ => null,
    };

    private static StringBuilder String(StringBuilder json, string value) => JsonText.AppendString(json, value);
}
