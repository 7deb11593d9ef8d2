using System.Globalization;
using Moclojer.Generators.Conditions;
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
        foreach (var socket in file.WebSockets)
        {
            if (!first)
            {
                writer.Line();
            }
            first = false;
            new WebSocketEmitter(writer, socket).Emit();
        }
        writer.Close();
        writer.Close();
        return writer.ToString();
    }

    internal static string HandlerName(EndpointSpec endpoint) => "Endpoint" + endpoint.Index.ToString(CultureInfo.InvariantCulture);

    internal static string HandlerName(WebSocketSpec socket) => "WebSocket" + socket.Index.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes the handler of one websocket item (WS-1 to WS-3): typed path parameters are checked before the
    /// upgrade (P-3), then the connection gets the on-connect response and, for each text message, the response
    /// of every on-message entry whose pattern matches the whole message, in declaration order. Patterns are
    /// compiled once, when the class is initialised (the regex source generator does not see generated code).
    /// </summary>
    private sealed class WebSocketEmitter(CodeWriter writer, WebSocketSpec socket)
    {
        private readonly List<PathSegment> _parameters = socket.Segments.Where(s => s.IsParameter).ToList();
        private readonly List<string> _fields = [];
        private VariableExpressions? _variableExpressions;
        private int _bodies;

        private VariableExpressions _variables => _variableExpressions ??= new(_parameters, [], "s_ws" + Suffix + "_json", _fields);

        private string Suffix => socket.Index.ToString(CultureInfo.InvariantCulture);

        public void Emit()
        {
            var w = new CodeWriter();
            w.Line("var context = request.HttpContext;");
            for (var k = 0; k < _parameters.Count; k++)
            {
                var parameter = _parameters[k];
                var ks = k.ToString(CultureInfo.InvariantCulture);
                var raw = "request.PathValues[" + ks + "]";
                if (parameter.Type == MockParamType.String)
                {
                    w.Line("var path_" + ks + " = " + raw + ";");
                    continue;
                }
                w.Open("if (!" + Runtime + "MockValues.TryCanonical(" + Runtime + "MockParamType." + parameter.Type + ", " + raw + ", out var path_" + ks + "))");
                w.Line("await " + Runtime + "MockResponses.InvalidParameterAsync(context, \"path\", " + CodeWriter.Literal(parameter.Text) + ", " + CodeWriter.Literal(parameter.TypeName) + ", " + raw + ");");
                w.Line("return;");
                w.Close();
            }
            w.Line("using var session = await " + Runtime + "MockWebSocketSession.AcceptAsync(context);");
            w.Open("if (session is null)");
            w.Line("return;");
            w.Close();
            if (socket.OnMessage.Count > 0 || (socket.OnConnect?.Parts.Any(p => p.Variable?.Source == VariableSource.Message) ?? false))
            {
                w.Line("string? message = null;");
            }
            if (socket.OnConnect is not null)
            {
                Send(w, socket.OnConnect, "s_ws" + Suffix + "_connect");
            }
            if (socket.OnMessage.Count > 0)
            {
                w.Open("while ((message = await session.ReceiveAsync()) is not null)");
                w.Line("request.UseJsonText(message);");
                for (var i = 0; i < socket.OnMessage.Count; i++)
                {
                    var entry = socket.OnMessage[i];
                    var field = "s_ws" + Suffix + "_pattern" + i.ToString(CultureInfo.InvariantCulture);
                    _fields.Add("private static readonly global::System.Text.RegularExpressions.Regex " + field + " = new(" + CodeWriter.Literal("\\A(?:" + entry.Pattern + ")\\z")
                        + ", global::System.Text.RegularExpressions.RegexOptions.CultureInvariant, global::System.TimeSpan.FromSeconds(1));");
                    w.Open("if (" + Runtime + "MockWebSocketSession.Matches(" + field + ", message))");
                    Send(w, entry.Response, "s_ws" + Suffix + "_message" + i.ToString(CultureInfo.InvariantCulture));
                    w.Close();
                }
                w.Close();
            }
            else
            {
                w.Open("while (await session.ReceiveAsync() is not null)");
                w.Close();
            }

            writer.Line("// WEBSOCKET " + socket.Path);
            foreach (var field in _fields)
            {
                writer.Line(field);
            }
            writer.Open("internal static async global::System.Threading.Tasks.Task " + HandlerName(socket) + "(" + Runtime + "MockRequest request)");
            writer.Lines(w.ToString().TrimEnd('\n'));
            writer.Close();
        }

        private void Send(CodeWriter w, TemplateSpec? template, string field)
        {
            if (template is null || template.IsStatic)
            {
                _fields.Add("private static readonly byte[] " + field + " = " + CodeWriter.Utf8Literal(template?.StaticText ?? string.Empty) + ".ToArray();");
                w.Line("await session.SendAsync(" + field + ");");
                return;
            }
            var body = "body" + (_bodies++).ToString(CultureInfo.InvariantCulture);
            w.Line("var " + body + " = new " + Runtime + "TemplateBuffer();");
            foreach (var part in template.Parts)
            {
                w.Line(part.IsLiteral
                    ? body + ".Append(" + CodeWriter.Utf8Literal(part.Literal) + ");"
                    : body + "." + (part.InJsonString ? "AppendJsonEscaped" : "AppendRaw") + "(" + Value(part.Variable!) + ");");
            }
            w.Line("await session.SendAsync(" + body + ");");
        }

        private string Value(VariableRef variable) => _variables.Value(variable);
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>Writes the members of one endpoint.</summary>
    private sealed class EndpointEmitter
    {
        private readonly CodeWriter _writer;
        private readonly EndpointSpec _endpoint;
        private readonly List<PathSegment> _parameters;
        private readonly List<string> _staticFields = [];
        private readonly bool _async;
        private readonly VariableExpressions _variables;

        public EndpointEmitter(CodeWriter writer, EndpointSpec endpoint)
        {
            _writer = writer;
            _endpoint = endpoint;
            _parameters = endpoint.Segments.Where(s => s.IsParameter).ToList();
            _variables = new VariableExpressions(_parameters, endpoint.Query.AsImmutableArray(), "s_json" + Suffix + "_", _staticFields);
            var body = EffectiveBody;
            _async = RuntimeExternal is not null || UsesJson || (body is not null && !body.IsStatic) || endpoint.Response.DelaySeconds > 0 || !endpoint.Webhooks.IsEmpty;
        }

        private string Suffix => _endpoint.Index.ToString(CultureInfo.InvariantCulture);

        /// <summary>X-1: a build-time external body replaces <c>body</c>; it is compiled like any body.</summary>
        private TemplateSpec? EffectiveBody => _endpoint.Response.External is { } external
            ? (external.IsBuildTime ? external.Content : null)
            : _endpoint.Response.Body;

        /// <summary>An external body loaded per request (templated path, or an http/https url).</summary>
        private ExternalBodySpec? RuntimeExternal => _endpoint.Response.External is { IsBuildTime: false } external ? external : null;

        private IEnumerable<TemplateSpec> Templates()
        {
            var response = _endpoint.Response;
            if (EffectiveBody is { } body)
            {
                yield return body;
            }
            if (RuntimeExternal is { } external)
            {
                yield return external.Path;
            }
            foreach (var header in response.Headers)
            {
                yield return header.Value;
            }
            foreach (var webhook in _endpoint.Webhooks)
            {
                yield return webhook.Url;
                if (webhook.Body is not null)
                {
                    yield return webhook.Body;
                }
                foreach (var header in webhook.Headers)
                {
                    yield return header.Value;
                }
            }
        }

        private bool UsesJson =>
            RuntimeExternal is not null // the content is only known per request: it may read json-params
            || Templates().Any(t => t.Parts.Any(p => p.Variable?.Source == VariableSource.JsonParams))
            || _endpoint.Webhooks.Any(w => ConditionAnalysis.ReadsJsonBody(w.Condition));

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
            EmitRateLimit(w);

            for (var k = 0; k < _parameters.Count; k++)
            {
                var parameter = _parameters[k];
                var raw = "request.PathValues[" + k.ToString(CultureInfo.InvariantCulture) + "]";
                if (parameter.Type == MockParamType.String)
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
                if (query.Type == MockParamType.String)
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

            EmitWebhooks(w);

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
            if (response.External is { ContentError: { } contentError })
            {
                // X-6: the build-time file's template cannot be rendered; the endpoint answers 500 with the reason.
                Return(w, Runtime + "MockResponses.ErrorAsync(context, 500, " + CodeWriter.Literal(contentError) + ")");
                return;
            }
            if (RuntimeExternal is { } external)
            {
                EmitRuntimeExternal(w, external, status, contentType);
                return;
            }
            var body = EffectiveBody;
            if (body is null || body.IsStatic)
            {
                var field = "s_body" + Suffix;
                _staticFields.Add("private static readonly byte[] " + field + " = " + CodeWriter.Utf8Literal(body?.StaticText ?? string.Empty) + ".ToArray();");
                ReturnLast(w, Runtime + "MockResponses.WriteStaticAsync(context, " + status + ", " + contentType + ", " + field + ")");
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
            ReturnLast(w, Runtime + "MockResponses.WriteAsync(context, " + status + ", " + contentType + ", body)");
        }

        /// <summary>
        /// X-2, X-3: the path is rendered with raw values, but a value containing '/' or '\' or equal to '..' makes
        /// the file not found; the runtime loads the file or url and renders it as a template for this request.
        /// </summary>
        private void EmitRuntimeExternal(CodeWriter w, ExternalBodySpec external, string status, string contentType)
        {
            w.Line("var externalPathOk = true;");
            var parts = external.Path.Parts.Select(p => p.IsLiteral
                ? CodeWriter.Literal(p.Literal)
                : Runtime + "MockExternalBody.PathValue(" + Value(p.Variable!) + ", ref externalPathOk)").ToList();
            w.Line("var externalPath = " + (parts.Count == 1 ? parts[0] : "string.Concat(" + string.Join(", ", parts) + ")") + ";");
            var names = _parameters.Select(p => CodeWriter.Literal(p.Text)).ToList();
            var values = _parameters.Select((_, k) => "path_" + k.ToString(CultureInfo.InvariantCulture)).ToList();
            var pathNames = names.Count == 0 ? "global::System.Array.Empty<string>()" : "new string[] { " + string.Join(", ", names) + " }";
            var pathValues = values.Count == 0 ? "global::System.Array.Empty<string?>()" : "new string?[] { " + string.Join(", ", values) + " }";
            ReturnLast(w, Runtime + "MockExternalBody.WriteAsync(request, " + status + ", " + contentType + ", externalPathOk ? externalPath : null, "
                + CodeWriter.Literal(external.MockDirectory) + ", " + pathNames + ", " + pathValues + ")");
        }

        /// <summary>RL: the limit runs first, before the P-3 type checks; a refused request gets 429 and no webhooks (W-11).</summary>
        private void EmitRateLimit(CodeWriter w)
        {
            if (_endpoint.RateLimit is not { } limit)
            {
                return;
            }
            var field = "s_rateLimit" + Suffix;
            _staticFields.Add("private static readonly " + Runtime + "MockRateLimit " + field + " = new(" + CodeWriter.Literal(_endpoint.Method + " " + _endpoint.Path)
                + ", " + limit.WindowMilliseconds.ToString(CultureInfo.InvariantCulture) + ", " + limit.MaxRequests.ToString(CultureInfo.InvariantCulture)
                + ", " + (limit.KeyHeader is null ? "null" : CodeWriter.Literal(limit.KeyHeader)) + ");");
            w.Open("if (!global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<" + Runtime + "MockRateLimiter>(context.RequestServices).TryAcquire(context, " + field + "))");
            Return(w, Runtime + "MockRateLimiter.RejectAsync(context)");
            w.Close();
        }

        /// <summary>
        /// W-9 and the appendix: conditions and templates see this request's variables and are rendered now;
        /// the dispatcher sends them later, so the client's response never waits for a webhook (W-10).
        /// </summary>
        private void EmitWebhooks(CodeWriter w)
        {
            if (_endpoint.Webhooks.IsEmpty)
            {
                return;
            }
            const string Webhooks = Runtime + "Webhooks.";
            w.Line("var dispatcher = global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<" + Webhooks + "WebhookDispatcher>(context.RequestServices);");
            w.Line("var webhooks = new global::System.Collections.Generic.List<" + Webhooks + "WebhookEntry>(" + _endpoint.Webhooks.Count.ToString(CultureInfo.InvariantCulture) + ");");
            var name = CodeWriter.Literal(_endpoint.Method + " " + _endpoint.Path);
            foreach (var webhook in _endpoint.Webhooks)
            {
                var index = webhook.Index.ToString(CultureInfo.InvariantCulture);
                var condition = ConditionEmitter.Emit(webhook.Condition, Value);
                if (condition == "false")
                {
                    // A condition that is false at build time (if: false): the entry is never sent.
                    w.Line("dispatcher.RecordConditionFalse(" + name + ", " + index + ");");
                    continue;
                }
                var guarded = condition != "true";
                if (guarded)
                {
                    w.Open("if (" + condition + ")");
                }
                else
                {
                    w.Line("{");
                }
                string body;
                if (webhook.Body is null || webhook.Body.IsStatic)
                {
                    var field = "s_webhook" + Suffix + "_" + index;
                    _staticFields.Add("private static readonly byte[] " + field + " = " + CodeWriter.Utf8Literal(webhook.Body?.StaticText ?? string.Empty) + ".ToArray();");
                    body = field;
                }
                else
                {
                    w.Line("    using var webhookBody" + index + " = new " + Runtime + "TemplateBuffer();");
                    foreach (var part in webhook.Body.Parts)
                    {
                        w.Line("    " + (part.IsLiteral
                            ? "webhookBody" + index + ".Append(" + CodeWriter.Utf8Literal(part.Literal) + ");"
                            : "webhookBody" + index + "." + (part.InJsonString ? "AppendJsonEscaped" : "AppendRaw") + "(" + Value(part.Variable!) + ");"));
                    }
                    body = "webhookBody" + index + ".WrittenSpan.ToArray()";
                }
                var headers = webhook.Headers.IsEmpty
                    ? Webhooks + "WebhookEntry.NoHeaders"
                    : "new global::System.Collections.Generic.KeyValuePair<string, string>[] { " + string.Join(", ", webhook.Headers.Select(h => "new(" + CodeWriter.Literal(h.Name) + ", " + HeaderValue(h.Value) + ")")) + " }";
                w.Line("    webhooks.Add(new " + Webhooks + "WebhookEntry(" + index + ", " + CodeWriter.Literal(webhook.Method) + ", " + Webhooks + "WebhookUrlKind." + webhook.UrlKind + ", "
                    + UrlValue(webhook) + ", " + headers + ", " + body + ", global::System.TimeSpan.FromSeconds(" + webhook.SleepSeconds.ToString("R", CultureInfo.InvariantCulture)
                    + "), global::System.TimeSpan.FromSeconds(" + webhook.TimeoutSeconds.ToString("R", CultureInfo.InvariantCulture) + ")));");
                if (guarded)
                {
                    w.Close();
                    w.Open("else");
                    w.Line("dispatcher.RecordConditionFalse(" + name + ", " + index + ");");
                    w.Close();
                }
                else
                {
                    w.Line("}");
                }
            }
            w.Open("if (webhooks.Count > 0)");
            w.Line("dispatcher.Dispatch(context, " + name + ", request.ReceivedAt, webhooks);");
            w.Close();
        }

        /// <summary>W-3: values in an absolute or relative url are percent-encoded; a callback url is used as it is (W-15).</summary>
        private string UrlValue(WebhookSpec webhook)
        {
            if (webhook.UrlKind == WebhookUrlKind.Callback)
            {
                var variable = webhook.Url.Parts.First(p => p.Variable is not null).Variable!;
                return "(" + Value(variable) + " ?? string.Empty)";
            }
            if (webhook.Url.IsStatic)
            {
                return CodeWriter.Literal(webhook.Url.StaticText);
            }
            var parts = webhook.Url.Parts.Select(p => p.IsLiteral ? CodeWriter.Literal(p.Literal) : Runtime + "MockText.UrlComponent(" + Value(p.Variable!) + ")").ToList();
            return parts.Count == 1 ? parts[0] : "string.Concat(" + string.Join(", ", parts) + ")";
        }

        /// <summary>The handler's final statement: no trailing <c>return;</c> after the await.</summary>
        private void ReturnLast(CodeWriter w, string task) => w.Line(_async ? "await " + task + ";" : "return " + task + ";");

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
        private string Value(VariableRef variable) => _variables.Value(variable);
    }
}
