using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Diagnostics;

/// <summary>Every kind of mistake the build reports, one ID each (the symbolic codes are the spec's, section V).</summary>
internal enum DiagnosticKind
{
    YamlSyntax,
    InvalidConfigRoot,
    InvalidItem,
    MissingPath,
    InvalidPath,
    MissingResponse,
    InvalidMethod,
    InvalidStatus,
    UnknownParamType,
    DuplicatePathParam,
    DuplicateEndpoint,
    UnterminatedTemplate,
    InvalidTemplate,
    UnknownVariableSource,
    UndeclaredPathParam,
    WebhookMissingUrl,
    WebhookInvalidUrl,
    WebhookMissingMethod,
    InvalidWebhook,
    InvalidSleepTime,
    IfUnknownOperator,
    IfMalformed,
    IfNonNumericOperand,
    InvalidRateLimit,
    UnknownProvider,
    InvalidPattern,
    UnknownKey,
    InvalidTimeout,
    InvalidDelay,
    InvalidValueType,
    ConditionNeverMatches,
    MissingKey,
    MissingExternalFile,
    InvalidEndpointName,
    DuplicateEndpointName,
    FramingHeader,
    DuplicateHeader,
    InvalidHeaderValue,
    InvalidJsonBody,
    MissingSheet,
    InvalidWorkbook,
    UnknownOperation,
    OperationsWithoutMock,
    InvalidOpenApi,
    InvalidSignature,
    MissingSignatureSecret,
    InvalidSignatureSecret,
    InvalidRetry,
    InternalError,
}

/// <summary>
/// The descriptors, one static field each (so Roslyn's release tracking reads them): ID, title, and a message that says
/// how to fix the mistake. The symbolic code (the spec's, section V) is in the description and in
/// <see cref="Code"/>.
/// </summary>
/// <remarks>
/// Roslyn formats a message only when the diagnostic has arguments: a message without placeholders is shown exactly
/// as written (single braces), a message with placeholders doubles its literal braces (<c>{{{{</c> shows <c>{{</c>).
/// Every argument is made one line when the diagnostic is created (<see cref="Create"/>).
/// </remarks>
internal static class DiagnosticCatalog
{
    private const string Category = "Moclojer";
    private const string HelpLinkBase = "https://github.com/moclojer/moclojer-generators/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor YamlSyntax = new(
        "MOCK001", "The mock file is not valid YAML",
        "The mock file is not valid YAML: {0}. Fix the YAML at this position (check indentation, quotes and ':' inside values).",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: yaml-syntax.", helpLinkUri: HelpLinkBase + "mock001");

    public static readonly DiagnosticDescriptor InvalidConfigRoot = new(
        "MOCK002", "The root of a mock file must be a list",
        "The root of the mock file is {0}; it must be a list of items such as '- endpoint:'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-config-root.", helpLinkUri: HelpLinkBase + "mock002");

    public static readonly DiagnosticDescriptor InvalidItem = new(
        "MOCK003", "A list item must be an endpoint or a websocket",
        "This item is {0}; each item must be a mapping with exactly one key, 'endpoint' or 'websocket' ('webhook-defaults' only as the first item)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-item.", helpLinkUri: HelpLinkBase + "mock003");

    public static readonly DiagnosticDescriptor MissingPath = new(
        "MOCK004", "An endpoint needs a path",
        "This {0} has no 'path'; add one such as 'path: /users/:id'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: missing-path.", helpLinkUri: HelpLinkBase + "mock004");

    public static readonly DiagnosticDescriptor InvalidPath = new(
        "MOCK005", "Invalid path",
        "The path '{0}' is invalid: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-path.", helpLinkUri: HelpLinkBase + "mock005");

    public static readonly DiagnosticDescriptor MissingResponse = new(
        "MOCK006", "An endpoint needs a response",
        "This endpoint has no 'response'; add one ('response: {}' takes every default: 200 and an empty body)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: missing-response.", helpLinkUri: HelpLinkBase + "mock006");

    public static readonly DiagnosticDescriptor InvalidMethod = new(
        "MOCK007", "Invalid HTTP method",
        "'{0}' is not an allowed method here; use one of {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-method.", helpLinkUri: HelpLinkBase + "mock007");

    public static readonly DiagnosticDescriptor InvalidStatus = new(
        "MOCK008", "Invalid status",
        "The status '{0}' is invalid; use an integer from 200 to 599 (a 1xx status is not a final answer and leaves the client waiting)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-status.", helpLinkUri: HelpLinkBase + "mock008");

    public static readonly DiagnosticDescriptor UnknownParamType = new(
        "MOCK009", "Unknown parameter type",
        "'{0}' is not a parameter type; use string, int, bool, boolean, float, double, uuid or date",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: unknown-param-type.", helpLinkUri: HelpLinkBase + "mock009");

    public static readonly DiagnosticDescriptor DuplicatePathParam = new(
        "MOCK010", "A path parameter is declared twice",
        "The parameter ':{0}' appears twice in '{1}'; give each parameter its own name",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: duplicate-path-param.", helpLinkUri: HelpLinkBase + "mock010");

    public static readonly DiagnosticDescriptor DuplicateEndpoint = new(
        "MOCK011", "Duplicate endpoint",
        "{0} duplicates the endpoint declared at {1} (same method, host and path shape; parameter names and types do not count); remove one or change its method, host or path",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: duplicate-endpoint.", helpLinkUri: HelpLinkBase + "mock011");

    public static readonly DiagnosticDescriptor UnterminatedTemplate = new(
        "MOCK012", "Unterminated template tag",
        "The template tag '{0}' is never closed; add '}}}}'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: unterminated-template.", helpLinkUri: HelpLinkBase + "mock012");

    public static readonly DiagnosticDescriptor InvalidTemplate = new(
        "MOCK013", "Invalid template tag",
        "'{0}' is not a valid template: {1}; a tag is '{{{{ variable }}}}', for example '{{{{path-params.id}}}}'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-template.", helpLinkUri: HelpLinkBase + "mock013");

    public static readonly DiagnosticDescriptor UnknownVariableSource = new(
        "MOCK014", "Unknown variable",
        "'{0}' is not a variable; use path-params.<name>, query-params.<name>, json-params[.<path>], header-params.<Name>, now or uuid",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: unknown-variable-source.", helpLinkUri: HelpLinkBase + "mock014");

    public static readonly DiagnosticDescriptor UndeclaredPathParam = new(
        "MOCK015", "The path does not declare this parameter",
        "'path-params.{0}' is not declared by the path '{1}'; declare ':{0}' in the path or use one of: {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: undeclared-path-param.", helpLinkUri: HelpLinkBase + "mock015");

    public static readonly DiagnosticDescriptor WebhookMissingUrl = new(
        "MOCK016", "A webhook needs a url",
        "This webhook has no 'url'; add an absolute http(s) url, a relative '/path', or a single template such as '{{json-params.callback_url}}'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: webhook-missing-url.", helpLinkUri: HelpLinkBase + "mock016");

    public static readonly DiagnosticDescriptor WebhookInvalidUrl = new(
        "MOCK017", "Invalid webhook url",
        "The webhook url '{0}' is invalid: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: webhook-invalid-url.", helpLinkUri: HelpLinkBase + "mock017");

    public static readonly DiagnosticDescriptor WebhookMissingMethod = new(
        "MOCK018", "A webhook needs a method",
        "This webhook has no 'method'; add one of GET, POST, PUT, PATCH or DELETE",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: webhook-missing-method.", helpLinkUri: HelpLinkBase + "mock018");

    public static readonly DiagnosticDescriptor InvalidWebhook = new(
        "MOCK019", "Invalid webhook",
        "'webhook' is {0}; it must be a mapping or a list of mappings",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-webhook.", helpLinkUri: HelpLinkBase + "mock019");

    public static readonly DiagnosticDescriptor InvalidSleepTime = new(
        "MOCK020", "Invalid sleep-time",
        "The sleep-time '{0}' is invalid; use a number of seconds from 0 to 86400 (24 hours; decimals allowed), or a range {{min: 1, max: 5}} with 0 <= min <= max <= 86400",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-sleep-time.", helpLinkUri: HelpLinkBase + "mock020");

    public static readonly DiagnosticDescriptor IfUnknownOperator = new(
        "MOCK021", "Unknown operator in condition",
        "{0}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: if-unknown-operator.", helpLinkUri: HelpLinkBase + "mock021");

    public static readonly DiagnosticDescriptor IfMalformed = new(
        "MOCK022", "Malformed condition",
        "{0}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: if-malformed.", helpLinkUri: HelpLinkBase + "mock022");

    public static readonly DiagnosticDescriptor IfNonNumericOperand = new(
        "MOCK023", "Relational operator with a non-numeric literal",
        "{0}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: if-non-numeric-operand.", helpLinkUri: HelpLinkBase + "mock023");

    public static readonly DiagnosticDescriptor InvalidRateLimit = new(
        "MOCK024", "Invalid rate limit",
        "'{0}: {1}' is invalid; use a positive integer",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-rate-limit.", helpLinkUri: HelpLinkBase + "mock024");

    public static readonly DiagnosticDescriptor UnknownProvider = new(
        "MOCK025", "Unknown external-body provider",
        "'{0}' is not an external-body provider; use 'json'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: unknown-provider.", helpLinkUri: HelpLinkBase + "mock025");

    public static readonly DiagnosticDescriptor InvalidPattern = new(
        "MOCK026", "Invalid websocket pattern",
        "The pattern '{0}' is invalid: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-pattern.", helpLinkUri: HelpLinkBase + "mock026");

    public static readonly DiagnosticDescriptor UnknownKey = new(
        "MOCK027", "Unknown key",
        "'{0}' is not a key of {1} and is ignored{2}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: "Symbolic code: unknown-key.", helpLinkUri: HelpLinkBase + "mock027");

    public static readonly DiagnosticDescriptor InvalidTimeout = new(
        "MOCK028", "Invalid webhook timeout",
        "The timeout '{0}' is invalid; use a number of seconds greater than 0 and at most 3600 (1 hour; default 10)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-timeout.", helpLinkUri: HelpLinkBase + "mock028");

    public static readonly DiagnosticDescriptor InvalidDelay = new(
        "MOCK029", "Invalid response delay",
        "The delay '{0}' is invalid; use a number of seconds from 0 to 3600 (1 hour; decimals allowed)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-delay.", helpLinkUri: HelpLinkBase + "mock029");

    public static readonly DiagnosticDescriptor InvalidValueType = new(
        "MOCK030", "Value of the wrong kind",
        "'{0}' must be {1}, but it is {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-value.", helpLinkUri: HelpLinkBase + "mock030");

    public static readonly DiagnosticDescriptor ConditionNeverMatches = new(
        "MOCK031", "Condition can never match",
        "{0}",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: "Symbolic code: condition-never-matches.", helpLinkUri: HelpLinkBase + "mock031");

    public static readonly DiagnosticDescriptor MissingKey = new(
        "MOCK032", "Missing required key",
        "This {0} has no '{1}'; {2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: missing-key.", helpLinkUri: HelpLinkBase + "mock032");

    public static readonly DiagnosticDescriptor MissingExternalFile = new(
        "MOCK033", "External body file not found",
        "The external-body file '{0}' is not among the project's AdditionalFiles (tried '{1}'); create it, fix the path, or add it with <AdditionalFiles Include=\"...\" />",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: missing-external-file.", helpLinkUri: HelpLinkBase + "mock033");

    public static readonly DiagnosticDescriptor InvalidEndpointName = new(
        "MOCK034", "Invalid endpoint name",
        "The endpoint name '{0}' is not a C# identifier; use letters, digits and '_', starting with a letter or '_', and not a C# keyword (for example 'GetUserById')",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-endpoint-name.", helpLinkUri: HelpLinkBase + "mock034");

    public static readonly DiagnosticDescriptor DuplicateEndpointName = new(
        "MOCK035", "Duplicate endpoint name",
        "Two endpoints are named '{0}' in generated code (the other is {1} at {2}); give one of them a 'name:' of its own",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: duplicate-endpoint-name.", helpLinkUri: HelpLinkBase + "mock035");

    public static readonly DiagnosticDescriptor FramingHeader = new(
        "MOCK036", "A header that controls HTTP framing",
        "The header '{0}' controls how the message is framed and is set by the server; remove it ({1})",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: framing-header.", helpLinkUri: HelpLinkBase + "mock036");

    public static readonly DiagnosticDescriptor DuplicateHeader = new(
        "MOCK037", "Duplicate header",
        "The header '{0}' is already set at {1} (header names ignore letter case); keep one of them",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: duplicate-header.", helpLinkUri: HelpLinkBase + "mock037");

    public static readonly DiagnosticDescriptor InvalidHeaderValue = new(
        "MOCK038", "A header value a header cannot carry",
        "The value of the header '{0}' contains {1}, which a header cannot carry as written; use visible ASCII, spaces and tabs (percent-encode other text, or put it in the body)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-header-value.", helpLinkUri: HelpLinkBase + "mock038");
    public static readonly DiagnosticDescriptor InvalidJsonBody = new(
        "MOCK040", "A JSON body is not valid JSON",
        "This body has a JSON Content-Type but is not one JSON document (tags outside strings count as values): {0}, found {1}; fix the JSON, or give the body a Content-Type such as text/plain if it is not JSON",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: "Symbolic code: invalid-json-body.", helpLinkUri: HelpLinkBase + "mock040");

    public static readonly DiagnosticDescriptor MissingSheet = new(
        "MOCK042", "Workbook sheet not found",
        "The workbook '{0}' has no such sheet: {1}; fix 'sheet-name' or leave it out to serve the first sheet",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: missing-sheet.", helpLinkUri: HelpLinkBase + "mock042");

    public static readonly DiagnosticDescriptor InvalidWorkbook = new(
        "MOCK043", "Workbook cannot be read",
        "The workbook '{0}' cannot be read: {1}; save it as an Excel workbook (.xlsx)",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-workbook.", helpLinkUri: HelpLinkBase + "mock043");

    public static readonly DiagnosticDescriptor UnknownOperation = new(
        "MOCK044", "Unknown operationId",
        "'{0}' is no operationId of the OpenAPI document {1}{2}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: unknown-operation.", helpLinkUri: HelpLinkBase + "mock044");

    public static readonly DiagnosticDescriptor OperationsWithoutMock = new(
        "MOCK045", "Operations without a mock",
        "{0} operation(s) of the OpenAPI document have no mock in {1} and answer their document's example or the defaults: {2}; add a key for each to the mocks document",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description: "Symbolic code: operations-without-mock.", helpLinkUri: HelpLinkBase + "mock045");

    public static readonly DiagnosticDescriptor InvalidOpenApi = new(
        "MOCK046", "Invalid OpenAPI mode setup",
        "{0}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-openapi.", helpLinkUri: HelpLinkBase + "mock046");

    public static readonly DiagnosticDescriptor InvalidSignature = new(
        "MOCK048", "Invalid webhook signature",
        "The signature is invalid: {0}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-signature.", helpLinkUri: HelpLinkBase + "mock048");

    public static readonly DiagnosticDescriptor MissingSignatureSecret = new(
        "MOCK049", "A webhook signature needs a secret",
        "This signature has no secret; add 'secret-from: Moclojer:Secrets:Payments' (a configuration key, so the secret can come from an environment variable or user secrets) or, for test fixtures, a literal 'secret:'",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: missing-signature-secret.", helpLinkUri: HelpLinkBase + "mock049");

    public static readonly DiagnosticDescriptor InvalidSignatureSecret = new(
        "MOCK050", "Invalid webhook signature secret",
        "The signature's {0} is invalid: {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-signature-secret.", helpLinkUri: HelpLinkBase + "mock050");

    public static readonly DiagnosticDescriptor InvalidRetry = new(
        "MOCK051", "Invalid webhook retry",
        "The retry is invalid: {0}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: invalid-retry.", helpLinkUri: HelpLinkBase + "mock051");

    public static readonly DiagnosticDescriptor InternalError = new(
        "MOCK999", "The mock compiler failed",
        "The mock compiler failed on this file: {0}. Please report it with the file.",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true, description: "Symbolic code: internal-error.", helpLinkUri: HelpLinkBase + "mock999");

    public static ImmutableArray<DiagnosticDescriptor> All { get; } =
    [
        YamlSyntax,
        InvalidConfigRoot,
        InvalidItem,
        MissingPath,
        InvalidPath,
        MissingResponse,
        InvalidMethod,
        InvalidStatus,
        UnknownParamType,
        DuplicatePathParam,
        DuplicateEndpoint,
        UnterminatedTemplate,
        InvalidTemplate,
        UnknownVariableSource,
        UndeclaredPathParam,
        WebhookMissingUrl,
        WebhookInvalidUrl,
        WebhookMissingMethod,
        InvalidWebhook,
        InvalidSleepTime,
        IfUnknownOperator,
        IfMalformed,
        IfNonNumericOperand,
        InvalidRateLimit,
        UnknownProvider,
        InvalidPattern,
        UnknownKey,
        InvalidTimeout,
        InvalidDelay,
        InvalidValueType,
        ConditionNeverMatches,
        MissingKey,
        MissingExternalFile,
        InvalidEndpointName,
        DuplicateEndpointName,
        FramingHeader,
        DuplicateHeader,
        InvalidHeaderValue,
        InvalidJsonBody,
        MissingSheet,
        InvalidWorkbook,
        UnknownOperation,
        OperationsWithoutMock,
        InvalidOpenApi,
        InvalidSignature,
        MissingSignatureSecret,
        InvalidSignatureSecret,
        InvalidRetry,
        InternalError,
    ];

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = All.ToDictionary(d => d.Id, d => d);

    public static DiagnosticDescriptor Descriptor(DiagnosticKind kind) => Entry(kind).Descriptor;

    /// <summary>The spec's symbolic code, such as <c>invalid-template</c>.</summary>
    public static string Code(DiagnosticKind kind) => Entry(kind).Code;

    public static string Id(DiagnosticKind kind) => Entry(kind).Descriptor.Id;

    public static DiagnosticDescriptor ForId(string id) => ById[id];

    /// <summary>
    /// The one place a <see cref="DiagnosticInfo"/> becomes a <see cref="Diagnostic"/>. Each argument is made one line
    /// here, so a message stays whole on the command line whatever text it quotes.
    /// </summary>
    public static Diagnostic Create(DiagnosticInfo info)
    {
        var location = info.Location;
        var span = new TextSpan(location.Start, location.Length);
        var lines = new LinePositionSpan(new LinePosition(location.StartLine, location.StartColumn), new LinePosition(location.EndLine, location.EndColumn));
        return Diagnostic.Create(
            ForId(info.Id),
            Location.Create(location.FilePath, span, lines),
            info.MessageArgs.Select(a => (object)DiagnosticText.OneLine(a)).ToArray());
    }

    private static (DiagnosticDescriptor Descriptor, string Code) Entry(DiagnosticKind kind) => kind switch
    {
        DiagnosticKind.YamlSyntax => (YamlSyntax, "yaml-syntax"),
        DiagnosticKind.InvalidConfigRoot => (InvalidConfigRoot, "invalid-config-root"),
        DiagnosticKind.InvalidItem => (InvalidItem, "invalid-item"),
        DiagnosticKind.MissingPath => (MissingPath, "missing-path"),
        DiagnosticKind.InvalidPath => (InvalidPath, "invalid-path"),
        DiagnosticKind.MissingResponse => (MissingResponse, "missing-response"),
        DiagnosticKind.InvalidMethod => (InvalidMethod, "invalid-method"),
        DiagnosticKind.InvalidStatus => (InvalidStatus, "invalid-status"),
        DiagnosticKind.UnknownParamType => (UnknownParamType, "unknown-param-type"),
        DiagnosticKind.DuplicatePathParam => (DuplicatePathParam, "duplicate-path-param"),
        DiagnosticKind.DuplicateEndpoint => (DuplicateEndpoint, "duplicate-endpoint"),
        DiagnosticKind.UnterminatedTemplate => (UnterminatedTemplate, "unterminated-template"),
        DiagnosticKind.InvalidTemplate => (InvalidTemplate, "invalid-template"),
        DiagnosticKind.UnknownVariableSource => (UnknownVariableSource, "unknown-variable-source"),
        DiagnosticKind.UndeclaredPathParam => (UndeclaredPathParam, "undeclared-path-param"),
        DiagnosticKind.WebhookMissingUrl => (WebhookMissingUrl, "webhook-missing-url"),
        DiagnosticKind.WebhookInvalidUrl => (WebhookInvalidUrl, "webhook-invalid-url"),
        DiagnosticKind.WebhookMissingMethod => (WebhookMissingMethod, "webhook-missing-method"),
        DiagnosticKind.InvalidWebhook => (InvalidWebhook, "invalid-webhook"),
        DiagnosticKind.InvalidSleepTime => (InvalidSleepTime, "invalid-sleep-time"),
        DiagnosticKind.IfUnknownOperator => (IfUnknownOperator, "if-unknown-operator"),
        DiagnosticKind.IfMalformed => (IfMalformed, "if-malformed"),
        DiagnosticKind.IfNonNumericOperand => (IfNonNumericOperand, "if-non-numeric-operand"),
        DiagnosticKind.InvalidRateLimit => (InvalidRateLimit, "invalid-rate-limit"),
        DiagnosticKind.UnknownProvider => (UnknownProvider, "unknown-provider"),
        DiagnosticKind.InvalidPattern => (InvalidPattern, "invalid-pattern"),
        DiagnosticKind.UnknownKey => (UnknownKey, "unknown-key"),
        DiagnosticKind.InvalidTimeout => (InvalidTimeout, "invalid-timeout"),
        DiagnosticKind.InvalidDelay => (InvalidDelay, "invalid-delay"),
        DiagnosticKind.InvalidValueType => (InvalidValueType, "invalid-value"),
        DiagnosticKind.ConditionNeverMatches => (ConditionNeverMatches, "condition-never-matches"),
        DiagnosticKind.MissingKey => (MissingKey, "missing-key"),
        DiagnosticKind.MissingExternalFile => (MissingExternalFile, "missing-external-file"),
        DiagnosticKind.InvalidEndpointName => (InvalidEndpointName, "invalid-endpoint-name"),
        DiagnosticKind.DuplicateEndpointName => (DuplicateEndpointName, "duplicate-endpoint-name"),
        DiagnosticKind.FramingHeader => (FramingHeader, "framing-header"),
        DiagnosticKind.DuplicateHeader => (DuplicateHeader, "duplicate-header"),
        DiagnosticKind.InvalidHeaderValue => (InvalidHeaderValue, "invalid-header-value"),
        DiagnosticKind.InvalidJsonBody => (InvalidJsonBody, "invalid-json-body"),
        DiagnosticKind.MissingSheet => (MissingSheet, "missing-sheet"),
        DiagnosticKind.InvalidWorkbook => (InvalidWorkbook, "invalid-workbook"),
        DiagnosticKind.UnknownOperation => (UnknownOperation, "unknown-operation"),
        DiagnosticKind.OperationsWithoutMock => (OperationsWithoutMock, "operations-without-mock"),
        DiagnosticKind.InvalidOpenApi => (InvalidOpenApi, "invalid-openapi"),
        DiagnosticKind.InvalidSignature => (InvalidSignature, "invalid-signature"),
        DiagnosticKind.MissingSignatureSecret => (MissingSignatureSecret, "missing-signature-secret"),
        DiagnosticKind.InvalidSignatureSecret => (InvalidSignatureSecret, "invalid-signature-secret"),
        DiagnosticKind.InvalidRetry => (InvalidRetry, "invalid-retry"),
        DiagnosticKind.InternalError => (InternalError, "internal-error"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
