namespace Moclojer.Generators.Model;

// The equatable model that emission works from. It holds no locations, so an edit that moves text without
// changing meaning (a comment, blank lines) leaves it Unchanged and nothing is re-emitted. The enums it uses that
// generated code names too (MockParamType, WebhookUrlKind) are shared with the runtime (src/Shared).

/// <summary>A path segment: literal text (percent-decoded) or a parameter with its name and declared type.</summary>
internal sealed record PathSegment(string Text, bool IsParameter, MockParamType Type, string TypeName);

/// <summary>A declared query parameter: typed, optional.</summary>
internal sealed record QueryParamSpec(string Name, MockParamType Type, string TypeName);

/// <summary>
/// One piece of a compiled template: literal text, or a variable with the escaping decided at build time: inside a
/// JSON string (escaped), in a value position of a JSON body (<see cref="JsonValue"/>: the value as JSON, S-11, T-6),
/// or raw.
/// </summary>
internal sealed record TemplatePart(string Literal, VariableRef? Variable, bool InJsonString, bool JsonValue = false)
{
    public bool IsLiteral => Variable is null;
}

/// <summary>A template known at build time: the sequence of literal and variable parts (T-1).</summary>
internal sealed record TemplateSpec(EquatableArray<TemplatePart> Parts)
{
    // Read for every endpoint by every builder and emitter: loops over the array, not LINQ over a boxed copy of it.
    public bool IsStatic
    {
        get
        {
            foreach (var part in Parts)
            {
                if (!part.IsLiteral)
                {
                    return false;
                }
            }
            return true;
        }
    }

    public string StaticText
    {
        get
        {
            if (Parts.Count == 1)
            {
                return Parts[0].Literal ?? string.Empty;
            }
            var text = new System.Text.StringBuilder();
            foreach (var part in Parts)
            {
                text.Append(part.Literal);
            }
            return text.ToString();
        }
    }
}

/// <summary>A configured header: its name as written and its value template.</summary>
internal sealed record HeaderSpec(string Name, TemplateSpec Value);

/// <summary>
/// X: <c>external-body</c> with <c>provider: json</c>, or <c>provider: xlsx</c> (<see cref="Xlsx"/>, X-4: the rows of
/// sheet <see cref="SheetName"/>, or of the first sheet when null, as a JSON array; data, not a template). A local path without templates is read at build time:
/// <see cref="Content"/> is its compiled content, or <see cref="ContentError"/> says why it cannot be rendered
/// . Any other path (templated, or http/https) is loaded per request, relative to <see cref="MockDirectory"/>:
/// the mock file's folder relative to the project folder, '/'-separated ("" for the project folder itself, or for
/// a mock file outside it), never an absolute path of the build machine, so the generated code is portable.
/// <see cref="JsonBody"/>: the response's Content-Type is JSON, so content that is one JSON document is a JSON body
/// (S-11), with its literal text made <see cref="Compact"/> unless <c>MoclojerJsonBodies=verbatim</c>.
/// </summary>
internal sealed record ExternalBodySpec(TemplateSpec Path, string MockDirectory, TemplateSpec? Content, string? ContentError, bool JsonBody = false, bool Compact = false, bool Xlsx = false, string? SheetName = null)
{
    public bool IsRemote => Path.Parts.Count > 0 && Path.Parts[0].IsLiteral
        && (Path.Parts[0].Literal.StartsWith("http://", System.StringComparison.OrdinalIgnoreCase) || Path.Parts[0].Literal.StartsWith("https://", System.StringComparison.OrdinalIgnoreCase));

    /// <summary>Read when the project builds: a local path without templates.</summary>
    public bool IsBuildTime => Path.IsStatic && !IsRemote;
}

internal sealed record ResponseSpec(int Status, EquatableArray<HeaderSpec> Headers, TemplateSpec? Body, double DelaySeconds, ExternalBodySpec? External = null)
{
    /// <summary>S-2: a configured Content-Type, in any letter case, replaces the default.</summary>
    public bool HasContentType => Headers.Any(h => string.Equals(h.Name, "Content-Type", System.StringComparison.OrdinalIgnoreCase));
}

/// <summary>One webhook entry (W-2) with its compiled condition (null: always sent).</summary>
internal sealed record WebhookSpec(
    int Index,
    string Method,
    WebhookUrlKind UrlKind,
    TemplateSpec Url,
    TemplateSpec? Body,
    EquatableArray<HeaderSpec> Headers,
    double SleepSeconds,
    double TimeoutSeconds,
    ConditionNode? Condition,
    string? ConditionText = null,
    double? SleepMaxSeconds = null,
    SignatureSpec? Signature = null,
    RetrySpec? Retry = null);

/// <summary>W-20: how a webhook is signed. Exactly one of <see cref="Secret"/> and <see cref="SecretFrom"/> is set.</summary>
internal sealed record SignatureSpec(
    WebhookSignatureScheme Scheme,
    string? Secret,
    string? SecretFrom,
    string? Header,
    WebhookHmacAlgorithm Algorithm,
    WebhookSignatureEncoding Encoding,
    string? Prefix,
    string? Signed,
    string? TimestampHeader);

/// <summary>W-21: how a webhook is retried; <see cref="Attempts"/> counts the first attempt.</summary>
internal sealed record RetrySpec(int Attempts, WebhookRetryBackoff Backoff, double DelaySeconds, double MaxDelaySeconds);

/// <summary>F-1: the settings of a file's first <c>- webhook-defaults:</c> item that its webhooks inherit.</summary>
internal sealed record WebhookDefaultsSpec(SignatureSpec? Signature, RetrySpec? Retry);

/// <summary>RL: <c>window-ms</c>, <c>max-requests</c> and the <c>key-fn</c> header (null: remote-addr).</summary>
internal sealed record RateLimitSpec(long WindowMilliseconds, int MaxRequests, string? KeyHeader);

/// <param name="RequestSample">The endpoint's sample request <c>body:</c> as JSON text (documentation only, S-9).</param>
internal sealed record EndpointSpec(
    int Index,
    string Method,
    string Path,
    string? Host,
    EquatableArray<PathSegment> Segments,
    EquatableArray<QueryParamSpec> Query,
    string Tag,
    ResponseSpec Response,
    EquatableArray<WebhookSpec> Webhooks,
    RateLimitSpec? RateLimit,
    string? RequestSample,
    string Name)
{
    /// <summary>The endpoint as journals, logs and metrics name it: <c>POST /checkout/:orderId|int</c>, plus <c> (host h)</c>.</summary>
    public string Route => Method + " " + Path + (Host is null ? string.Empty : " (host " + Host + ")");

    /// <summary>The path without parameter types, as the swagger summary shows it .</summary>
    public string UntypedPath => Segments.Count == 0
        ? "/"
        : "/" + string.Join("/", Segments.Select(s => s.IsParameter ? ":" + s.Text : s.Text));
}

/// <summary>WS-3: one <c>on-message</c> entry: a full-match .NET regex and the response template (null: send nothing).</summary>
internal sealed record WebSocketMessageSpec(string Pattern, TemplateSpec? Response);

/// <summary>WS-1: a websocket item: its path, the <c>on-connect</c> response and the <c>on-message</c> entries.</summary>
internal sealed record WebSocketSpec(int Index, string Path, EquatableArray<PathSegment> Segments, TemplateSpec? OnConnect, EquatableArray<WebSocketMessageSpec> OnMessage);

/// <summary>
/// What one mock file compiles to. A file with errors has <see cref="HasErrors"/> and no endpoints are served from it.
/// A mocks document of OpenAPI mode (O-1) carries its OpenAPI document as JSON in <see cref="OpenApiJson"/>, which the
/// service serves as <c>/openapi.json</c> instead of a generated one.
/// </summary>
internal sealed record MockFileSpec(string RelativePath, string ClassName, EquatableArray<EndpointSpec> Endpoints, bool HasErrors, EquatableArray<WebSocketSpec> WebSockets = default, string? OpenApiJson = null)
{
    public bool HasContent => Endpoints.Count > 0 || WebSockets.Count > 0;
}

/// <summary>The route identity used for duplicate detection (E-4), with where the route was declared.</summary>
/// <remarks><see cref="Name"/> is the endpoint's name in generated code; <see cref="NameLocation"/> is its <c>name:</c> value, or the path when derived.</remarks>
internal sealed record RouteKey(string Method, string Host, string Shape, string Path, LocationInfo PathLocation, string Name, LocationInfo NameLocation);

/// <summary>A build-time external file one endpoint needs: its normalized full path and where the path was written.</summary>
/// <summary>
/// A build-time external-body file: <paramref name="FullPath"/> is the path resolved against the mock file's
/// folder, <paramref name="ProjectPath"/> the same path resolved against the project's folder (null when that is the
/// same place, the path is rooted, or the project folder is unknown); the first one among the data files is read.
/// </summary>
internal sealed record ExternalFileRef(int EndpointIndex, string FullPath, string WrittenPath, LocationInfo Location, string? ProjectPath = null, bool Xlsx = false, string? SheetName = null)
{
    public IEnumerable<string> Candidates => ProjectPath is null ? [FullPath] : [FullPath, ProjectPath];
}

/// <summary>The result of reading one mock file: the emission model, its routes, and its diagnostics.</summary>
internal sealed record MockFileResult(MockFileSpec Spec, EquatableArray<RouteKey> Routes, EquatableArray<DiagnosticInfo> Diagnostics, EquatableArray<ExternalFileRef> ExternalFiles);
