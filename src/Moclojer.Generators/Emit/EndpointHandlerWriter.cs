using Moclojer.Generators.Conditions;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>
/// Writes one endpoint's handler, in the order the request is served: rate limit (RL), typed path and query
/// parameters (P-3, Q-1), the JSON body when something reads it, webhooks (W), headers, delay, then the response.
/// </summary>
internal sealed class EndpointHandlerWriter : HandlerWriter
{
    private const string Webhooks = Runtime + "Webhooks.";
    private readonly EndpointSpec _endpoint;
    private readonly string _suffix;
    private readonly string _route;

    public EndpointHandlerWriter(CodeWriter writer, ClassStatics statics, EndpointSpec endpoint)
        : base(writer, statics, endpoint.Segments, endpoint.Query.AsImmutableArray())
    {
        _endpoint = endpoint;
        _suffix = Literals.Number(endpoint.Index);
        _route = endpoint.Route;
        // A rendered body alone needs no await: the handler returns the write's task (most complete at once).
        IsAsync = RuntimeExternal is not null || UsesJson || endpoint.Response.DelaySeconds > 0 || !endpoint.Webhooks.IsEmpty;
    }

    protected override bool IsAsync { get; }

    /// <summary>X-1: a build-time external body replaces <c>body</c>; it is compiled like any body.</summary>
    private TemplateSpec? EffectiveBody => _endpoint.Response.External is { } external
        ? (external.IsBuildTime ? external.Content : null)
        : _endpoint.Response.Body;

    /// <summary>An external body loaded per request (templated path, or an http/https url).</summary>
    private ExternalBodySpec? RuntimeExternal => _endpoint.Response.External is { IsBuildTime: false } external ? external : null;

    private string BodyField => "s_body" + _suffix;

    private string RateLimitField => "s_rateLimit" + _suffix;

    private string WebhookBodyField(WebhookSpec webhook) => $"s_webhook{_suffix}_{Literals.Number(webhook.Index)}";

    private string WebhookSignatureField(WebhookSpec webhook) => $"s_signature{_suffix}_{Literals.Number(webhook.Index)}";

    private string WebhookRetryField(WebhookSpec webhook) => $"s_retry{_suffix}_{Literals.Number(webhook.Index)}";

    private bool UsesJson =>
        RuntimeExternal is not null // the content is only known per request: it may read json-params
        || AllTemplates().Any(t => t.Parts.Any(p => p.Variable?.Source == VariableSource.JsonParams))
        || _endpoint.Webhooks.Any(w => ConditionAnalysis.ReadsJsonBody(w.Condition));

    /// <summary>Every template of the endpoint, including those of webhooks that are never sent.</summary>
    private IEnumerable<TemplateSpec> AllTemplates()
    {
        if (EffectiveBody is { } body)
        {
            yield return body;
        }
        if (RuntimeExternal is { } external)
        {
            yield return external.Path;
        }
        foreach (var header in _endpoint.Response.Headers)
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

    /// <summary>A webhook whose condition is false at build time (<c>if: false</c>): it is only recorded as not sent.</summary>
    private static bool IsNeverSent(WebhookSpec webhook) => webhook.Condition is { } condition && ConditionAnalysis.Constant(condition) == false;

    public override void Write()
    {
        Writer.WriteLine("// " + _route);
        Statics.Write(Writer, StaticFields());
        StartHandler(HandlersEmitter.HandlerName(HandlerKind.Endpoint, _endpoint.Index));
        WriteRateLimit();
        WritePathChecks();
        WriteQueryChecks();
        if (UsesJson)
        {
            Writer.WriteLine("await request.ReadJsonAsync();");
        }
        WriteWebhooks();
        foreach (var header in _endpoint.Response.Headers)
        {
            Writer.WriteLine($"global::Microsoft.AspNetCore.Http.HeaderDictionaryExtensions.Append(context.Response.Headers, {Literals.String(header.Name)}, {HeaderValue(header.Value)});");
        }
        if (_endpoint.Response.DelaySeconds > 0)
        {
            Writer.WriteLine($"await request.DelayAsync(global::System.TimeSpan.FromSeconds({Literals.Number(_endpoint.Response.DelaySeconds)}));");
        }
        WriteResponse();
        Writer.EndBlock();
    }

    /// <summary>The static fields the handler reads, in the order it reads them.</summary>
    private IEnumerable<StaticField> StaticFields()
    {
        if (_endpoint.RateLimit is { } limit)
        {
            yield return new RateLimitField(RateLimitField, _route, limit);
        }
        foreach (var webhook in _endpoint.Webhooks.Where(w => !IsNeverSent(w)))
        {
            foreach (var field in ClassStatics.JsonPaths(webhook.Condition))
            {
                yield return field;
            }
            if (webhook.Body is null || webhook.Body.IsStatic)
            {
                yield return new BytesField(WebhookBodyField(webhook), webhook.Body?.StaticText ?? string.Empty);
            }
            foreach (var field in ClassStatics.JsonPaths(webhook.Body).Concat(webhook.Headers.SelectMany(h => ClassStatics.JsonPaths(h.Value))))
            {
                yield return field;
            }
            if (webhook.Signature is { } signature)
            {
                yield return new SignatureField(WebhookSignatureField(webhook), signature);
            }
            if (webhook.Retry is { } retry)
            {
                yield return new RetryField(WebhookRetryField(webhook), retry);
            }
            IEnumerable<VariableRef> url = webhook.UrlKind == WebhookUrlKind.Callback ? [CallbackVariable(webhook)] : webhook.Url.Parts.Where(p => p.Variable is not null).Select(p => p.Variable!);
            foreach (var field in ClassStatics.JsonPaths(url))
            {
                yield return field;
            }
        }
        foreach (var field in _endpoint.Response.Headers.SelectMany(h => ClassStatics.JsonPaths(h.Value)))
        {
            yield return field;
        }
        if (_endpoint.Response.External is { ContentError: not null })
        {
            yield break;
        }
        if (RuntimeExternal is { } external)
        {
            foreach (var field in ClassStatics.JsonPaths(external.Path))
            {
                yield return field;
            }
        }
        else if (EffectiveBody is not { IsStatic: false } body)
        {
            yield return new BytesField(BodyField, EffectiveBody?.StaticText ?? string.Empty);
        }
        else
        {
            foreach (var field in ClassStatics.JsonPaths(body))
            {
                yield return field;
            }
        }
    }

    /// <summary>RL: the limit runs first, before the P-3 type checks; a refused request gets 429 and no webhooks (W-11).</summary>
    private void WriteRateLimit()
    {
        if (_endpoint.RateLimit is null)
        {
            return;
        }
        Writer.StartBlock($"if (!global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<{Runtime}MockRateLimiter>(context.RequestServices).TryAcquire(context, {RateLimitField}))");
        Return(Runtime + "MockRateLimiter.RejectAsync(request)");
        Writer.EndBlock();
    }

    /// <summary>Q-1: a declared query parameter is optional; when present and typed, it is checked and canonicalised.</summary>
    private void WriteQueryChecks()
    {
        for (var k = 0; k < _endpoint.Query.Count; k++)
        {
            var query = _endpoint.Query[k];
            var local = "query_" + Literals.Number(k);
            var read = $"request.Query({Literals.String(query.Name)})";
            Writer.WriteLine($"var {local} = {read};");
            if (query.Type == MockParamType.String)
            {
                continue;
            }
            Writer.StartBlock($"if ({local} is not null && !{Runtime}MockValues.TryCanonical({Runtime}MockParamType.{query.Type}, {local}, out {local}))");
            Return($"{Runtime}MockResponses.InvalidParameterAsync(request, \"query\", {Literals.String(query.Name)}, {Literals.String(query.TypeName)}, {read})");
            Writer.EndBlock();
        }
    }

    /// <summary>
    /// W-9 and the appendix: conditions and templates see this request's variables and are rendered now;
    /// the dispatcher sends them later, so the client's response never waits for a webhook (W-10).
    /// </summary>
    private void WriteWebhooks()
    {
        if (_endpoint.Webhooks.IsEmpty)
        {
            return;
        }
        var route = Literals.String(_route);
        Writer.WriteLine($"""
            var dispatcher = global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<{Webhooks}WebhookDispatcher>(context.RequestServices);
            var webhooks = new global::System.Collections.Generic.List<{Webhooks}WebhookEntry>({Literals.Number(_endpoint.Webhooks.Count)});
            """);
        foreach (var webhook in _endpoint.Webhooks)
        {
            if (IsNeverSent(webhook))
            {
                Writer.WriteLine(ConditionFalse(webhook, []));
                continue;
            }
            var variables = new List<VariableRef>();
            var condition = ConditionEmitter.Emit(webhook.Condition, variable =>
            {
                if (!variables.Contains(variable))
                {
                    variables.Add(variable);
                }
                return Value(variable);
            });
            var notSent = ConditionFalse(webhook, variables);
            var guarded = condition != "true";
            if (guarded)
            {
                Writer.StartBlock($"if ({condition})");
            }
            else
            {
                Writer.StartBlock(); // a scope for the body buffer
            }
            WriteWebhookEntry(webhook);
            Writer.EndBlock();
            if (guarded)
            {
                Writer.StartBlock("else");
                Writer.WriteLine(notSent);
                Writer.EndBlock();
            }
        }
        Writer.StartBlock("if (webhooks.Count > 0)");
        Writer.WriteLine($"dispatcher.Dispatch(context, {route}, request.ReceivedAt, webhooks);");
        Writer.EndBlock();
    }

    /// <summary>
    /// W-6: a webhook whose <c>if</c> is false is journaled as skipped with its condition and the value each of its
    /// variables had, so a test can see why it did not fire.
    /// </summary>
    private string ConditionFalse(WebhookSpec webhook, IReadOnlyList<VariableRef> variables)
    {
        var values = string.Concat(variables.Select(v => $", ({Literals.String(v.ToString())}, {Value(v)})"));
        return $"dispatcher.RecordConditionFalse(context, {Literals.String(_route)}, request.ReceivedAt, {Literals.Number(webhook.Index)}, "
            + $"{Literals.String(webhook.Method)}, {Literals.String(TemplateText(webhook.Url))}, {Literals.String(webhook.ConditionText ?? "false")}{values});";
    }

    /// <summary>A template as it was written (for journals): literal text and <c>{{variable}}</c> tags.</summary>
    private static string TemplateText(TemplateSpec template) =>
        string.Concat(template.Parts.Select(p => p.IsLiteral ? p.Literal : "{{" + p.Variable + "}}"));

    private void WriteWebhookEntry(WebhookSpec webhook)
    {
        var index = Literals.Number(webhook.Index);
        string body;
        if (webhook.Body is null || webhook.Body.IsStatic)
        {
            body = WebhookBodyField(webhook);
        }
        else
        {
            var buffer = "webhookBody" + index;
            Writer.WriteLine($"using var {buffer} = new {Runtime}TemplateBuffer();");
            WriteTemplate(buffer, webhook.Body);
            body = buffer + ".WrittenSpan.ToArray()";
        }
        var headers = webhook.Headers.IsEmpty
            ? Webhooks + "WebhookEntry.NoHeaders"
            : $"new global::System.Collections.Generic.KeyValuePair<string, string>[] {{ {string.Join(", ", webhook.Headers.Select(h => $"new({Literals.String(h.Name)}, {HeaderValue(h.Value)})"))} }}";
        var url = UrlValue(webhook);
        Writer.WriteLine($"webhooks.Add(new {Webhooks}WebhookEntry({index}, {Literals.String(webhook.Method)}, {Webhooks}WebhookUrlKind.{webhook.UrlKind}, {url}, {headers}, {body}, "
            + $"global::System.TimeSpan.FromSeconds({Literals.Number(webhook.SleepSeconds)}), global::System.TimeSpan.FromSeconds({Literals.Number(webhook.TimeoutSeconds)})){DeliveryInitializer(webhook)});");
    }

    /// <summary>W-20 to W-22: the entry's signature, retry and longest random delay, when it has any.</summary>
    private string DeliveryInitializer(WebhookSpec webhook)
    {
        var members = new List<string>(3);
        if (webhook.Signature is not null)
        {
            members.Add("Signature = " + WebhookSignatureField(webhook));
        }
        if (webhook.Retry is not null)
        {
            members.Add("Retry = " + WebhookRetryField(webhook));
        }
        if (webhook.SleepMaxSeconds is { } max)
        {
            members.Add($"MaxSleepTime = global::System.TimeSpan.FromSeconds({Literals.Number(max)})");
        }
        return members.Count == 0 ? string.Empty : " { " + string.Join(", ", members) + " }";
    }

    /// <summary>W-15: the variable a callback url is read from.</summary>
    private static VariableRef CallbackVariable(WebhookSpec webhook) => webhook.Url.Parts.First(p => p.Variable is not null).Variable!;

    /// <summary>W-3: values in an absolute or relative url are percent-encoded; a callback url is used as it is (W-15).</summary>
    private string UrlValue(WebhookSpec webhook) => webhook.UrlKind == WebhookUrlKind.Callback
        ? $"({Value(CallbackVariable(webhook))} ?? string.Empty)"
        : StringExpression(webhook.Url, value => $"{Runtime}MockText.UrlComponent({value})");

    private void WriteResponse()
    {
        var status = Literals.Number(_endpoint.Response.Status);
        var contentType = _endpoint.Response.HasContentType ? "null" : Runtime + "MockResponses.JsonContentType";
        if (_endpoint.Response.External is { ContentError: { } contentError })
        {
            // X-6: the build-time file's template cannot be rendered; the endpoint answers 500 with the reason.
            ReturnLast($"{Runtime}MockResponses.ErrorAsync(request, 500, {Literals.String(contentError)})");
            return;
        }
        if (RuntimeExternal is { } external)
        {
            WriteRuntimeExternal(external, status, contentType);
            return;
        }
        if (EffectiveBody is not { IsStatic: false } body)
        {
            ReturnLast($"{Runtime}MockResponses.WriteStaticAsync(request, {status}, {contentType}, {BodyField})");
            return;
        }
        Writer.WriteLine($"var body = new {Runtime}TemplateBuffer();");
        WriteTemplate("body", body);
        ReturnLast($"{Runtime}MockResponses.WriteAsync(request, {status}, {contentType}, body)");
    }

    /// <summary>
    /// X-2, X-3: the path is rendered with raw values, but a value containing '/' or '\' or equal to '..' makes
    /// the file not found; the runtime loads the file or url and renders it as a template for this request.
    /// </summary>
    private void WriteRuntimeExternal(ExternalBodySpec external, string status, string contentType)
    {
        var path = StringExpression(external.Path, value => $"{Runtime}MockExternalBody.PathValue({value}, ref externalPathOk)");
        var names = Parameters.Count == 0
            ? "global::System.Array.Empty<string>()"
            : $"new string[] {{ {string.Join(", ", Parameters.Select(p => Literals.String(p.Text)))} }}";
        var values = Parameters.Count == 0
            ? "global::System.Array.Empty<string?>()"
            : $"new string?[] {{ {string.Join(", ", Parameters.Select((_, k) => "path_" + Literals.Number(k)))} }}";
        Writer.WriteLine($"""
            var externalPathOk = true;
            var externalPath = {path};
            """);
        if (external.Xlsx)
        {
            // X-4: a workbook's sheet is data, not a template.
            ReturnLast($"{Runtime}MockExternalBody.WriteWorkbookAsync(request, {status}, {contentType}, externalPathOk ? externalPath : null, "
                + $"{Literals.String(external.MockDirectory)}, {(external.SheetName is null ? "null" : Literals.String(external.SheetName))})");
            return;
        }
        ReturnLast($"{Runtime}MockExternalBody.WriteAsync(request, {status}, {contentType}, externalPathOk ? externalPath : null, "
            + $"{Literals.String(external.MockDirectory)}, {names}, {values}, {(external.JsonBody ? "true" : "false")}, {(external.Compact ? "true" : "false")})");
    }
}
