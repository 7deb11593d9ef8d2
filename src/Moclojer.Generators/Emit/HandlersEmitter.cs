using System.Globalization;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>
/// Emits one static class per mock file with one handler per endpoint. Each handler is specialised: typed
/// parameters are checked once, static bodies are bytes encoded at build time, and templates are a sequence of
/// writes with the escaping chosen at build time.
/// </summary>
internal static class HandlersEmitter
{
    private const string Runtime = "global::Moclojer.Runtime.";

    public static string Emit(MockFileSpec file)
    {
        var writer = new CodeWriter();
        writer.Lines(CodeWriter.Header);
        writer.Open("namespace Moclojer.Generated");
        writer.Line("/// <summary>Endpoint handlers compiled from " + Xml(file.RelativePath) + ".</summary>");
        writer.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"Moclojer.Generators\", \"" + ThisAssembly.Version + "\")]");
        writer.Open("internal static class " + file.ClassName);
        var first = true;
        foreach (var endpoint in file.Endpoints)
        {
            if (!first)
            {
                writer.Line();
            }
            first = false;
            new EndpointEmitter(writer, endpoint).Emit();
        }
        writer.Close();
        writer.Close();
        return writer.ToString();
    }

    internal static string HandlerName(EndpointSpec endpoint) => "Endpoint" + endpoint.Index.ToString(CultureInfo.InvariantCulture);

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>Writes the members of one endpoint.</summary>
    private sealed class EndpointEmitter
    {
        private readonly CodeWriter _writer;
        private readonly EndpointSpec _endpoint;
        private readonly List<PathSegment> _parameters;
        private readonly List<string> _staticFields = [];
        private readonly bool _async;
        private int _jsonPaths;

        public EndpointEmitter(CodeWriter writer, EndpointSpec endpoint)
        {
            _writer = writer;
            _endpoint = endpoint;
            _parameters = endpoint.Segments.Where(s => s.IsParameter).ToList();
            var body = endpoint.Response.Body;
            _async = UsesJson || (body is not null && !body.IsStatic) || endpoint.Response.DelaySeconds > 0;
        }

        private string Suffix => _endpoint.Index.ToString(CultureInfo.InvariantCulture);

        private IEnumerable<TemplateSpec> Templates()
        {
            var response = _endpoint.Response;
            if (response.Body is not null)
            {
                yield return response.Body;
            }
            foreach (var header in response.Headers)
            {
                yield return header.Value;
            }
        }

        private bool UsesJson => Templates().Any(t => t.Parts.Any(p => p.Variable?.Source == VariableSource.JsonParams));

        public void Emit()
        {
            var body = new CodeWriter();
            EmitBody(body);

            _writer.Line("// " + _endpoint.Method + " " + _endpoint.Path + (_endpoint.Host is null ? string.Empty : " (host " + _endpoint.Host + ")"));
            foreach (var field in _staticFields)
            {
                _writer.Line(field);
            }
            var signature = "internal static " + (_async ? "async " : string.Empty) + "global::System.Threading.Tasks.Task " + HandlerName(_endpoint) + "(" + Runtime + "MockRequest request)";
            _writer.Open(signature);
            _writer.Lines(body.ToString().TrimEnd('\n'));
            _writer.Close();
        }

        private void EmitBody(CodeWriter w)
        {
            var response = _endpoint.Response;
            w.Line("var context = request.HttpContext;");

            for (var k = 0; k < _parameters.Count; k++)
            {
                var parameter = _parameters[k];
                var raw = "request.PathValues[" + k.ToString(CultureInfo.InvariantCulture) + "]";
                if (parameter.Type == ParamType.String)
                {
                    w.Line("var path_" + k.ToString(CultureInfo.InvariantCulture) + " = " + raw + ";");
                    continue;
                }
                w.Open("if (!" + Runtime + "MockValues.TryCanonical(" + Runtime + "MockParamType." + parameter.Type + ", " + raw + ", out var path_" + k.ToString(CultureInfo.InvariantCulture) + "))");
                Return(w, Runtime + "MockResponses.InvalidParameterAsync(context, \"path\", " + CodeWriter.Literal(parameter.Text) + ", " + CodeWriter.Literal(parameter.TypeName) + ", " + raw + ")");
                w.Close();
            }

            for (var k = 0; k < _endpoint.Query.Count; k++)
            {
                var query = _endpoint.Query[k];
                var local = "query_" + k.ToString(CultureInfo.InvariantCulture);
                w.Line("var " + local + " = request.Query(" + CodeWriter.Literal(query.Name) + ");");
                if (query.Type == ParamType.String)
                {
                    continue;
                }
                w.Open("if (" + local + " is not null && !" + Runtime + "MockValues.TryCanonical(" + Runtime + "MockParamType." + query.Type + ", " + local + ", out " + local + "))");
                Return(w, Runtime + "MockResponses.InvalidParameterAsync(context, \"query\", " + CodeWriter.Literal(query.Name) + ", " + CodeWriter.Literal(query.TypeName) + ", request.Query(" + CodeWriter.Literal(query.Name) + "))");
                w.Close();
            }

            if (UsesJson)
            {
                w.Line("await request.ReadJsonAsync();");
            }

            foreach (var header in response.Headers)
            {
                w.Line("global::Microsoft.AspNetCore.Http.HeaderDictionaryExtensions.Append(context.Response.Headers, " + CodeWriter.Literal(header.Name) + ", " + HeaderValue(header.Value) + ");");
            }

            if (response.DelaySeconds > 0)
            {
                w.Line("await request.DelayAsync(global::System.TimeSpan.FromSeconds(" + response.DelaySeconds.ToString("R", CultureInfo.InvariantCulture) + "));");
            }

            var status = response.Status.ToString(CultureInfo.InvariantCulture);
            var contentType = response.HasContentType ? "null" : Runtime + "MockResponses.JsonContentType";
            var body = response.Body;
            if (body is null || body.IsStatic)
            {
                var field = "s_body" + Suffix;
                _staticFields.Add("private static readonly byte[] " + field + " = " + CodeWriter.Utf8Literal(body?.StaticText ?? string.Empty) + ".ToArray();");
                Return(w, Runtime + "MockResponses.WriteStaticAsync(context, " + status + ", " + contentType + ", " + field + ")");
                return;
            }

            w.Line("var body = new " + Runtime + "TemplateBuffer();");
            foreach (var part in body.Parts)
            {
                if (part.IsLiteral)
                {
                    w.Line("body.Append(" + CodeWriter.Utf8Literal(part.Literal) + ");");
                }
                else
                {
                    w.Line("body." + (part.InJsonString ? "AppendJsonEscaped" : "AppendRaw") + "(" + Value(part.Variable!) + ");");
                }
            }
            Return(w, Runtime + "MockResponses.WriteAsync(context, " + status + ", " + contentType + ", body)");
        }

        private void Return(CodeWriter w, string task)
        {
            if (_async)
            {
                w.Line("await " + task + ";");
                w.Line("return;");
            }
            else
            {
                w.Line("return " + task + ";");
            }
        }

        private string HeaderValue(TemplateSpec template)
        {
            if (template.IsStatic)
            {
                return CodeWriter.Literal(template.StaticText);
            }
            var parts = template.Parts.Select(p => p.IsLiteral ? CodeWriter.Literal(p.Literal) : Runtime + "MockText.HeaderValue(" + Value(p.Variable!) + ")").ToList();
            return parts.Count == 1 ? parts[0] : "string.Concat(" + string.Join(", ", parts) + ")";
        }

        /// <summary>The C# expression (a <c>string?</c>, null when missing) of a variable.</summary>
        private string Value(VariableRef variable)
        {
            switch (variable.Source)
            {
                case VariableSource.PathParams:
                    var index = _parameters.FindIndex(p => p.Text == variable.Name);
                    return index < 0 ? "null" : "path_" + index.ToString(CultureInfo.InvariantCulture);
                case VariableSource.QueryParams:
                    for (var k = 0; k < _endpoint.Query.Count; k++)
                    {
                        if (_endpoint.Query[k].Name == variable.Name)
                        {
                            return "query_" + k.ToString(CultureInfo.InvariantCulture);
                        }
                    }
                    return "request.Query(" + CodeWriter.Literal(variable.Name) + ")";
                case VariableSource.HeaderParams:
                    return "request.Header(" + CodeWriter.Literal(variable.Name) + ")";
                case VariableSource.JsonParams:
                    if (variable.Path.IsEmpty)
                    {
                        return Runtime + "MockJson.Text(request.Json)";
                    }
                    var field = "s_json" + Suffix + "_" + (_jsonPaths++).ToString(CultureInfo.InvariantCulture);
                    _staticFields.Add("private static readonly string[] " + field + " = { " + string.Join(", ", variable.Path.Select(CodeWriter.Literal)) + " };");
                    return Runtime + "MockJson.Text(request.Json, " + field + ")";
                case VariableSource.Now:
                    return "request.Now";
                default:
                    return Runtime + "MockRequest.NewUuid()";
            }
        }
    }
}
