using System.Text;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Combining;

/// <summary>
/// the Swagger 2.0 document of the endpoints, written at build time: typed parameters with the bounds the mock
/// checks, and every status an operation can answer (<see cref="ApiAnswers"/>).
/// </summary>
internal static class SwaggerBuilder
{
    public static string Build(IEnumerable<EndpointSpec> endpoints)
    {
        var paths = ApiPaths.Group(endpoints);
        var definitions = new SortedDictionary<string, string>(StringComparer.Ordinal);
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
                    if (parameters[k].Item3 == MockParamType.Int)
                    {
                        json.Append(",\"minimum\":-9223372036854775808,\"maximum\":9223372036854775807");
                    }
                    json.Append('}');
                }
                json.Append("],\"responses\":{");
                Responses(json, operation, definitions);
                json.Append("}}");
            }
            json.Append('}');
        }
        json.Append('}');
        // The error schemas every operation would otherwise repeat, written once and referenced. (Swagger 2.0 has
        // no reusable headers, so the rate-limit headers stay inline; they are on rate-limited operations only.)
        if (definitions.Count > 0)
        {
            json.Append(",\"definitions\":{");
            var first = true;
            foreach (var definition in definitions)
            {
                json.Append(first ? "\"" : ",\"").Append(definition.Key).Append("\":").Append(definition.Value);
                first = false;
            }
            json.Append('}');
        }
        json.Append('}');
        return json.ToString();
    }

    /// <summary>
    /// The configured status, then 400, 429 and 500 as <see cref="ApiAnswers"/> says; answers sharing a status are one
    /// entry (without a schema, since Swagger 2.0 cannot say "either").
    /// </summary>
    private static void Responses(StringBuilder json, EndpointSpec operation, SortedDictionary<string, string> definitions)
    {
        var answers = new List<(int Status, List<string> Descriptions, string? Schema)>();
        if (!ApiAnswers.AlwaysFails(operation))
        {
            answers.Add((operation.Response.Status, ["mock response"], null));
        }
        if (ApiAnswers.ChecksParameters(operation))
        {
            Add(400, ApiAnswers.InvalidParameterDescription, "InvalidParameter");
        }
        if (operation.RateLimit is not null)
        {
            Add(429, ApiAnswers.RateLimitedDescription, "Error");
        }
        if (ApiAnswers.AlwaysFails(operation) || ApiAnswers.MayFail(operation))
        {
            Add(500, ApiAnswers.FailureDescription, "Error");
        }
        for (var i = 0; i < answers.Count; i++)
        {
            json.Append(i > 0 ? ",\"" : "\"").Append(answers[i].Status).Append("\":{\"description\":");
            String(json, string.Join(" Or: ", answers[i].Descriptions));
            if (answers[i].Schema is { } name)
            {
                definitions[name] = name == "InvalidParameter" ? InvalidParameterSchema : ErrorSchema;
                json.Append(",\"schema\":{\"$ref\":\"#/definitions/").Append(name).Append("\"}");
            }
            if (operation.RateLimit is { } rateLimit)
            {
                json.Append(",\"headers\":{\"X-RateLimit-Limit\":{\"type\":\"integer\",\"format\":\"int32\",\"description\":\"max-requests of the endpoint's window\"},")
                    .Append("\"X-RateLimit-Remaining\":{\"type\":\"integer\",\"format\":\"int32\",\"minimum\":0,\"description\":\"requests left in the window, this one counted\"},")
                    .Append("\"X-RateLimit-Reset\":{\"type\":\"integer\",\"format\":\"int64\",\"description\":\"Unix time, in whole seconds, at which the oldest counted request leaves the window\"}}");
            }
            json.Append('}');
        }

        // schema: the name of a definition (InvalidParameter, Error).
        void Add(int status, string description, string schema)
        {
            var index = answers.FindIndex(a => a.Status == status);
            if (index < 0)
            {
                answers.Add((status, [description], schema));
            }
            else
            {
                answers[index].Descriptions.Add(description);
                answers[index] = (status, answers[index].Descriptions, null);
            }
        }
    }

    private const string InvalidParameterSchema =
        "{\"type\":\"object\",\"required\":[\"error\",\"in\",\"name\",\"expected\",\"value\"],\"properties\":{"
        + "\"error\":{\"type\":\"string\",\"enum\":[\"invalid-parameter\"]},\"in\":{\"type\":\"string\",\"enum\":[\"path\",\"query\"]},"
        + "\"name\":{\"type\":\"string\"},\"expected\":{\"type\":\"string\"},\"value\":{\"type\":\"string\"}}}";

    private const string ErrorSchema = "{\"type\":\"object\",\"required\":[\"error\"],\"properties\":{\"error\":{\"type\":\"string\"}}}";

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
