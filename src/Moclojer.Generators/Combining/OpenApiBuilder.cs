using System.Globalization;
using System.Text;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Combining;

/// <summary>
/// The OpenAPI 3.1 document of the endpoints, written at build time: paths, methods, typed parameters, the sample
/// request body (S-9), and each response's status, headers and static example body.
/// </summary>
internal static class OpenApiBuilder
{
    public static string Build(IEnumerable<EndpointSpec> endpoints)
    {
        var paths = ApiPaths.Group(endpoints);
        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        var json = new StringBuilder();
        json.Append("{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"moclojer-mock\",\"description\":\"my mock\",\"version\":\"1.0.0\"},\"paths\":{");
        for (var i = 0; i < paths.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }
            JsonText.AppendString(json, paths[i].Path).Append(":{");
            var operations = paths[i].Operations;
            for (var j = 0; j < operations.Count; j++)
            {
                if (j > 0)
                {
                    json.Append(',');
                }
                Operation(json, operations[j], operationIds);
            }
            json.Append('}');
        }
        json.Append("}}");
        return json.ToString();
    }

    private static void Operation(StringBuilder json, EndpointSpec endpoint, HashSet<string> operationIds)
    {
        var operationId = endpoint.Tag;
        for (var n = 2; !operationIds.Add(operationId); n++)
        {
            operationId = endpoint.Tag + "-" + n.ToString(CultureInfo.InvariantCulture);
        }
        JsonText.AppendString(json, endpoint.Method.ToLowerInvariant()).Append(":{\"operationId\":");
        JsonText.AppendString(json, operationId).Append(",\"summary\":");
        JsonText.AppendString(json, "Generated from " + endpoint.UntypedPath).Append(",\"tags\":[");
        JsonText.AppendString(json, endpoint.Tag).Append(']');

        var parameters = endpoint.Segments.Where(s => s.IsParameter).Select(s => (s.Text, "path", s.Type))
            .Concat(endpoint.Query.Select(q => (q.Name, "query", q.Type))).ToList();
        if (parameters.Count > 0)
        {
            json.Append(",\"parameters\":[");
            for (var k = 0; k < parameters.Count; k++)
            {
                if (k > 0)
                {
                    json.Append(',');
                }
                json.Append("{\"name\":");
                JsonText.AppendString(json, parameters[k].Item1).Append(",\"in\":\"").Append(parameters[k].Item2)
                    .Append("\",\"required\":").Append(parameters[k].Item2 == "path" ? "true" : "false").Append(",\"schema\":");
                Schema(json, parameters[k].Item3);
                json.Append('}');
            }
            json.Append(']');
        }

        if (endpoint.RequestSample is not null && endpoint.Method is not ("GET" or "HEAD" or "DELETE"))
        {
            json.Append(",\"requestBody\":{\"content\":{\"application/json\":{\"example\":").Append(endpoint.RequestSample).Append("}}}");
        }

        var response = endpoint.Response;
        json.Append(",\"responses\":{\"").Append(response.Status.ToString(CultureInfo.InvariantCulture)).Append("\":{\"description\":\"mock response\"");
        var headers = response.Headers.Where(h => !string.Equals(h.Name, "Content-Type", StringComparison.OrdinalIgnoreCase)).ToList();
        if (headers.Count > 0)
        {
            json.Append(",\"headers\":{");
            for (var k = 0; k < headers.Count; k++)
            {
                if (k > 0)
                {
                    json.Append(',');
                }
                JsonText.AppendString(json, headers[k].Name).Append(":{\"schema\":{\"type\":\"string\"}");
                if (headers[k].Value.IsStatic)
                {
                    json.Append(",\"example\":");
                    JsonText.AppendString(json, headers[k].Value.StaticText);
                }
                json.Append('}');
            }
            json.Append('}');
        }
        if (response.Body is not null)
        {
            var contentType = response.Headers.FirstOrDefault(h => string.Equals(h.Name, "Content-Type", StringComparison.OrdinalIgnoreCase))?.Value;
            var mediaType = contentType is { IsStatic: true } ? contentType.StaticText.Split(';')[0].Trim() : "application/json";
            json.Append(",\"content\":{");
            JsonText.AppendString(json, mediaType.Length == 0 ? "application/json" : mediaType).Append(":{");
            if (response.Body.IsStatic)
            {
                // The body as the mock sends it; a client reads it as text, JSON or not (S-4).
                json.Append("\"example\":");
                JsonText.AppendString(json, response.Body.StaticText);
            }
            json.Append("}}");
        }
        json.Append("}}}");
    }

    private static void Schema(StringBuilder json, MockParamType type)
    {
        json.Append(type switch
        {
            MockParamType.Int => "{\"type\":\"integer\",\"format\":\"int64\"}",
            MockParamType.Bool => "{\"type\":\"boolean\"}",
            MockParamType.Float => "{\"type\":\"number\",\"format\":\"float\"}",
            MockParamType.Double => "{\"type\":\"number\",\"format\":\"double\"}",
            MockParamType.Uuid => "{\"type\":\"string\",\"format\":\"uuid\"}",
            MockParamType.Date => "{\"type\":\"string\",\"format\":\"date\"}",
            _ => "{\"type\":\"string\"}",
        });
    }
}
