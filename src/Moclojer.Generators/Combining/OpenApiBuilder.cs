using System.Globalization;
using System.Text;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Combining;

/// <summary>
/// The OpenAPI 3.1 document of the endpoints, written at build time: paths, methods, typed parameters (with the
/// bounds the mock checks), the sample request body (S-9), and every answer the mock can give: the configured status
/// with its headers and static example body (a JSON value when the body is JSON), the 400 of a typed parameter, the
/// 429 and <c>X-RateLimit-*</c> headers of a rate limit, and the 500 of an external body that can fail.
/// </summary>
internal static class OpenApiBuilder
{
    public static string Build(IEnumerable<EndpointSpec> endpoints)
    {
        var paths = ApiPaths.Group(endpoints);
        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        var used = new Components();
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
                Operation(json, operations[j], operationIds, used);
            }
            json.Append('}');
        }
        json.Append('}');
        used.Write(json);
        json.Append('}');
        return json.ToString();
    }

    private static void Operation(StringBuilder json, EndpointSpec endpoint, HashSet<string> operationIds, Components used)
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

        json.Append(",\"responses\":{");
        var answers = Answers(endpoint, used);
        for (var k = 0; k < answers.Count; k++)
        {
            if (k > 0)
            {
                json.Append(',');
            }
            answers[k].Write(json);
        }
        json.Append("}}");
    }

    /// <summary>
    /// Every answer the endpoint can give, by status: the configured one, then 400 (typed parameters), 429 (rate
    /// limit) and 500 (an external body that can fail). Answers that share a status are one entry whose content
    /// allows either body.
    /// </summary>
    private static List<Answer> Answers(EndpointSpec endpoint, Components used)
    {
        var answers = new List<Answer>();
        var response = endpoint.Response;
        var rateLimit = endpoint.RateLimit;
        if (!ApiAnswers.AlwaysFails(endpoint))
        {
            var configured = new Answer(response.Status, "mock response");
            foreach (var header in response.Headers.Where(h => !string.Equals(h.Name, "Content-Type", StringComparison.OrdinalIgnoreCase)))
            {
                var value = new StringBuilder("{\"schema\":{\"type\":\"string\"}");
                if (header.Value.IsStatic)
                {
                    JsonText.AppendString(value.Append(",\"example\":"), header.Value.StaticText);
                }
                configured.Headers.Add((header.Name, value.Append('}').ToString()));
            }
            if (ApiAnswers.SendsBody(endpoint))
            {
                var mediaType = ApiAnswers.MediaType(response);
                var body = ApiAnswers.KnownBody(response);
                string? example = null;
                if (body is { IsStatic: true })
                {
                    // A static JSON body is shown as the value it is; any other body as the text the mock sends (S-4).
                    var text = body.StaticText;
                    example = ApiAnswers.IsJson(mediaType) && JsonTemplate.Check(text) is null ? text.Trim() : JsonText.AppendString(new StringBuilder(), text).ToString();
                }
                configured.Content.Add((mediaType, null, example));
            }
            answers.Add(configured);
        }
        if (ApiAnswers.ChecksParameters(endpoint))
        {
            Add(answers, new Answer(400, ApiAnswers.InvalidParameterDescription).WithJson(used.Schema("InvalidParameter", InvalidParameterSchema)));
        }
        if (rateLimit is not null)
        {
            Add(answers, new Answer(429, ApiAnswers.RateLimitedDescription).WithJson(used.Schema("Error", ErrorSchema), "{\"error\":\"Rate limit exceeded\"}"));
        }
        if (ApiAnswers.AlwaysFails(endpoint) || ApiAnswers.MayFail(endpoint))
        {
            Add(answers, new Answer(500, ApiAnswers.FailureDescription).WithJson(used.Schema("Error", ErrorSchema)));
        }
        if (rateLimit is not null)
        {
            // RL-5, RL-6: limiting runs first, so every answer of the endpoint carries the three headers.
            foreach (var answer in answers)
            {
                answer.Headers.RemoveAll(h => ApiAnswers.RateLimitHeaders.Contains(h.Name, StringComparer.OrdinalIgnoreCase));
                answer.Headers.Add(("X-RateLimit-Limit", "{\"description\":\"max-requests of the endpoint's window\",\"schema\":{\"type\":\"integer\",\"format\":\"int32\"},\"example\":" + rateLimit.MaxRequests.ToString(CultureInfo.InvariantCulture) + "}"));
                answer.Headers.Add(("X-RateLimit-Remaining", used.Header("RateLimitRemaining", "{\"description\":\"requests left in the window, this one counted (0 in a 429)\",\"schema\":{\"type\":\"integer\",\"format\":\"int32\",\"minimum\":0}}")));
                answer.Headers.Add(("X-RateLimit-Reset", used.Header("RateLimitReset", "{\"description\":\"Unix time, in whole seconds, at which the oldest counted request leaves the window\",\"schema\":{\"type\":\"integer\",\"format\":\"int64\"}}")));
            }
        }
        return answers;

        static void Add(List<Answer> answers, Answer answer)
        {
            var same = answers.FirstOrDefault(a => a.Status == answer.Status);
            if (same is null)
            {
                answers.Add(answer);
            }
            else
            {
                same.Merge(answer);
            }
        }
    }

    /// <summary>P-3: <c>{"error":"invalid-parameter","in":...,"name":...,"expected":...,"value":...}</c>.</summary>
    private const string InvalidParameterSchema =
        "{\"type\":\"object\",\"required\":[\"error\",\"in\",\"name\",\"expected\",\"value\"],\"additionalProperties\":false,\"properties\":{"
        + "\"error\":{\"type\":\"string\",\"const\":\"invalid-parameter\"},\"in\":{\"type\":\"string\",\"enum\":[\"path\",\"query\"]},"
        + "\"name\":{\"type\":\"string\"},\"expected\":{\"type\":\"string\"},\"value\":{\"type\":\"string\"}}}";

    /// <summary>RL-6, S-7: <c>{"error":"..."}</c>.</summary>
    private const string ErrorSchema =
        "{\"type\":\"object\",\"required\":[\"error\"],\"additionalProperties\":false,\"properties\":{\"error\":{\"type\":\"string\"}}}";

    /// <summary>
    /// The parts every operation would otherwise repeat (error schemas, rate-limit headers), written once under
    /// <c>components</c> and referenced: a document of thousands of operations stays small, and so does the
    /// generated code that holds it. Only the parts some operation uses are written.
    /// </summary>
    private sealed class Components
    {
        private readonly SortedDictionary<string, string> _schemas = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, string> _headers = new(StringComparer.Ordinal);

        public string Schema(string name, string json)
        {
            _schemas[name] = json;
            return "{\"$ref\":\"#/components/schemas/" + name + "\"}";
        }

        public string Header(string name, string json)
        {
            _headers[name] = json;
            return "{\"$ref\":\"#/components/headers/" + name + "\"}";
        }

        public void Write(StringBuilder json)
        {
            if (_schemas.Count == 0 && _headers.Count == 0)
            {
                return;
            }
            json.Append(",\"components\":{");
            var first = true;
            Section("schemas", _schemas);
            Section("headers", _headers);
            json.Append('}');

            void Section(string section, SortedDictionary<string, string> parts)
            {
                if (parts.Count == 0)
                {
                    return;
                }
                json.Append(first ? "\"" : ",\"").Append(section).Append("\":{");
                first = false;
                var firstPart = true;
                foreach (var part in parts)
                {
                    json.Append(firstPart ? "\"" : ",\"").Append(part.Key).Append("\":").Append(part.Value);
                    firstPart = false;
                }
                json.Append('}');
            }
        }
    }

    /// <summary>One entry of an operation's <c>responses</c>.</summary>
    private sealed class Answer(int status, string description)
    {
        public int Status { get; } = status;

        public List<string> Descriptions { get; } = [description];

        /// <summary>Header name and its header object as JSON.</summary>
        public List<(string Name, string Json)> Headers { get; } = [];

        /// <summary>Media type, schema (JSON, null: any) and example (JSON, null: none).</summary>
        public List<(string MediaType, string? Schema, string? Example)> Content { get; } = [];

        public Answer WithJson(string schema, string? example = null)
        {
            Content.Add(("application/json", schema, example));
            return this;
        }

        public void Merge(Answer other)
        {
            Descriptions.AddRange(other.Descriptions);
            Headers.AddRange(other.Headers.Where(h => !Headers.Any(mine => string.Equals(mine.Name, h.Name, StringComparison.OrdinalIgnoreCase))));
            foreach (var content in other.Content)
            {
                var index = Content.FindIndex(c => string.Equals(c.MediaType, content.MediaType, StringComparison.OrdinalIgnoreCase));
                if (index < 0)
                {
                    Content.Add(content);
                    continue;
                }
                // Either body may come with this status and media type: the schema allows both, the example is the first's.
                var mine = Content[index];
                Content[index] = (mine.MediaType, "{\"oneOf\":[" + (mine.Schema ?? "{}") + "," + (content.Schema ?? "{}") + "]}", mine.Example ?? content.Example);
            }
        }

        public void Write(StringBuilder json)
        {
            json.Append('"').Append(Status.ToString(CultureInfo.InvariantCulture)).Append("\":{\"description\":");
            JsonText.AppendString(json, string.Join(" Or: ", Descriptions));
            if (Headers.Count > 0)
            {
                json.Append(",\"headers\":{");
                for (var i = 0; i < Headers.Count; i++)
                {
                    if (i > 0)
                    {
                        json.Append(',');
                    }
                    JsonText.AppendString(json, Headers[i].Name).Append(':').Append(Headers[i].Json);
                }
                json.Append('}');
            }
            if (Content.Count > 0)
            {
                json.Append(",\"content\":{");
                for (var i = 0; i < Content.Count; i++)
                {
                    if (i > 0)
                    {
                        json.Append(',');
                    }
                    JsonText.AppendString(json, Content[i].MediaType).Append(":{");
                    var first = true;
                    if (Content[i].Schema is { } schema)
                    {
                        json.Append("\"schema\":").Append(schema);
                        first = false;
                    }
                    if (Content[i].Example is { } example)
                    {
                        json.Append(first ? string.Empty : ",").Append("\"example\":").Append(example);
                    }
                    json.Append('}');
                }
                json.Append('}');
            }
            json.Append('}');
        }
    }

    private static void Schema(StringBuilder json, MockParamType type)
    {
        json.Append(type switch
        {
            // P-4: within 64 bits; a longer value gets the 400.
            MockParamType.Int => "{\"type\":\"integer\",\"format\":\"int64\",\"minimum\":-9223372036854775808,\"maximum\":9223372036854775807}",
            MockParamType.Bool => "{\"type\":\"boolean\"}",
            MockParamType.Float => "{\"type\":\"number\",\"format\":\"float\"}",
            MockParamType.Double => "{\"type\":\"number\",\"format\":\"double\"}",
            MockParamType.Uuid => "{\"type\":\"string\",\"format\":\"uuid\"}",
            MockParamType.Date => "{\"type\":\"string\",\"format\":\"date\"}",
            _ => "{\"type\":\"string\"}",
        });
    }
}
