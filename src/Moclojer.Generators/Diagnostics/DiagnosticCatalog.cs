using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

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
    InternalError,
}

/// <summary>The descriptors: ID, symbolic code, severity, title and a message that says how to fix the mistake.</summary>
internal static class DiagnosticCatalog
{
    public const string Category = "Moclojer";
    public const string HelpLinkBase = "https://github.com/moclojer/moclojer-generators/blob/main/docs/diagnostics.md#";

    private static readonly Dictionary<DiagnosticKind, (DiagnosticDescriptor Descriptor, string Code)> Entries = new()
    {
        [DiagnosticKind.YamlSyntax] = Error("MOCK001", "yaml-syntax", "The mock file is not valid YAML",
            "The mock file is not valid YAML: {0}. Fix the YAML at this position (check indentation, quotes and ':' inside values)."),
        [DiagnosticKind.InvalidConfigRoot] = Error("MOCK002", "invalid-config-root", "The root of a mock file must be a list",
            "The root of the mock file is {0}; it must be a list of items such as '- endpoint:'"),
        [DiagnosticKind.InvalidItem] = Error("MOCK003", "invalid-item", "A list item must be an endpoint or a websocket",
            "This item is {0}; each item must be a mapping with exactly one key, 'endpoint' or 'websocket'"),
        [DiagnosticKind.MissingPath] = Error("MOCK004", "missing-path", "An endpoint needs a path",
            "This {0} has no 'path'; add one such as 'path: /users/:id'"),
        [DiagnosticKind.InvalidPath] = Error("MOCK005", "invalid-path", "Invalid path",
            "The path '{0}' is invalid: {1}"),
        [DiagnosticKind.MissingResponse] = Error("MOCK006", "missing-response", "An endpoint needs a response",
            "This endpoint has no 'response'; add one ('response: {{}}' takes every default: 200 and an empty body)"),
        [DiagnosticKind.InvalidMethod] = Error("MOCK007", "invalid-method", "Invalid HTTP method",
            "'{0}' is not an allowed method here; use one of {1}"),
        [DiagnosticKind.InvalidStatus] = Error("MOCK008", "invalid-status", "Invalid status",
            "The status '{0}' is invalid; use an integer from 100 to 599"),
        [DiagnosticKind.UnknownParamType] = Error("MOCK009", "unknown-param-type", "Unknown parameter type",
            "'{0}' is not a parameter type; use string, int, bool, boolean, float, double, uuid or date"),
        [DiagnosticKind.DuplicatePathParam] = Error("MOCK010", "duplicate-path-param", "A path parameter is declared twice",
            "The parameter ':{0}' appears twice in '{1}'; give each parameter its own name"),
        [DiagnosticKind.DuplicateEndpoint] = Error("MOCK011", "duplicate-endpoint", "Duplicate endpoint",
            "{0} duplicates the endpoint declared at {1} (same method, host and path shape; parameter names and types do not count); remove one or change its method, host or path"),
        [DiagnosticKind.UnterminatedTemplate] = Error("MOCK012", "unterminated-template", "Unterminated template tag",
            "The template tag '{0}' is never closed; add '}}}}'"),
        [DiagnosticKind.InvalidTemplate] = Error("MOCK013", "invalid-template", "Invalid template tag",
            "'{0}' is not a valid template: {1}. A tag is '{{{{ variable }}}}', for example '{{{{path-params.id}}}}'"),
        [DiagnosticKind.UnknownVariableSource] = Error("MOCK014", "unknown-variable-source", "Unknown variable",
            "'{0}' is not a variable; use path-params.<name>, query-params.<name>, json-params[.<path>], header-params.<Name>, now or uuid"),
        [DiagnosticKind.UndeclaredPathParam] = Error("MOCK015", "undeclared-path-param", "The path does not declare this parameter",
            "'path-params.{0}' is not declared by the path '{1}'; declare ':{0}' in the path or use one of: {2}"),
        [DiagnosticKind.WebhookMissingUrl] = Error("MOCK016", "webhook-missing-url", "A webhook needs a url",
            "This webhook has no 'url'; add an absolute http(s) url, a relative '/path', or a single template such as '{{{{json-params.callback_url}}}}'"),
        [DiagnosticKind.WebhookInvalidUrl] = Error("MOCK017", "webhook-invalid-url", "Invalid webhook url",
            "The webhook url '{0}' is invalid: {1}"),
        [DiagnosticKind.WebhookMissingMethod] = Error("MOCK018", "webhook-missing-method", "A webhook needs a method",
            "This webhook has no 'method'; add one of GET, POST, PUT, PATCH or DELETE"),
        [DiagnosticKind.InvalidWebhook] = Error("MOCK019", "invalid-webhook", "Invalid webhook",
            "'webhook' is {0}; it must be a mapping or a list of mappings"),
        [DiagnosticKind.InvalidSleepTime] = Error("MOCK020", "invalid-sleep-time", "Invalid sleep-time",
            "The sleep-time '{0}' is invalid; use a number of seconds, 0 or more (decimals allowed)"),
        [DiagnosticKind.IfUnknownOperator] = Error("MOCK021", "if-unknown-operator", "Unknown operator in condition",
            "{0}"),
        [DiagnosticKind.IfMalformed] = Error("MOCK022", "if-malformed", "Malformed condition",
            "{0}"),
        [DiagnosticKind.IfNonNumericOperand] = Error("MOCK023", "if-non-numeric-operand", "Relational operator with a non-numeric literal",
            "{0}"),
        [DiagnosticKind.InvalidRateLimit] = Error("MOCK024", "invalid-rate-limit", "Invalid rate limit",
            "'{0}: {1}' is invalid; use a positive integer"),
        [DiagnosticKind.UnknownProvider] = Error("MOCK025", "unknown-provider", "Unknown external-body provider",
            "'{0}' is not an external-body provider; use 'json'"),
        [DiagnosticKind.InvalidPattern] = Error("MOCK026", "invalid-pattern", "Invalid websocket pattern",
            "The pattern '{0}' is invalid: {1}"),
        [DiagnosticKind.UnknownKey] = Warning("MOCK027", "unknown-key", "Unknown key",
            "'{0}' is not a key of {1} and is ignored{2}"),
        [DiagnosticKind.InvalidTimeout] = Error("MOCK028", "invalid-timeout", "Invalid webhook timeout",
            "The timeout '{0}' is invalid; use a number of seconds greater than 0 (default 10)"),
        [DiagnosticKind.InvalidDelay] = Error("MOCK029", "invalid-delay", "Invalid response delay",
            "The delay '{0}' is invalid; use a number of seconds, 0 or more"),
        [DiagnosticKind.InvalidValueType] = Error("MOCK030", "invalid-value", "Value of the wrong kind",
            "'{0}' must be {1}, but it is {2}"),
        [DiagnosticKind.ConditionNeverMatches] = Warning("MOCK031", "condition-never-matches", "Condition can never match",
            "{0}"),
        [DiagnosticKind.MissingKey] = Error("MOCK032", "missing-key", "Missing required key",
            "This {0} has no '{1}'; {2}"),
        [DiagnosticKind.InternalError] = Error("MOCK999", "internal-error", "The mock compiler failed",
            "The mock compiler failed on this file: {0}. Please report it with the file."),
    };

    public static DiagnosticDescriptor Descriptor(DiagnosticKind kind) => Entries[kind].Descriptor;

    public static string Code(DiagnosticKind kind) => Entries[kind].Code;

    public static string Id(DiagnosticKind kind) => Entries[kind].Descriptor.Id;

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = Entries.Values.Select(e => e.Descriptor).ToImmutableArray();

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = Entries.Values.ToDictionary(e => e.Descriptor.Id, e => e.Descriptor);

    public static DiagnosticDescriptor ForId(string id) => ById[id];

    private static (DiagnosticDescriptor, string) Error(string id, string code, string title, string message) =>
        (new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: $"Symbolic code: {code}.", helpLinkUri: HelpLinkBase + id.ToLowerInvariant()), code);

    private static (DiagnosticDescriptor, string) Warning(string id, string code, string title, string message) =>
        (new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
            description: $"Symbolic code: {code}.", helpLinkUri: HelpLinkBase + id.ToLowerInvariant()), code);
}
