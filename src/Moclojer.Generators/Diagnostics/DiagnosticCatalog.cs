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
    MissingExternalFile,
    InternalError,
}

/// <summary>The descriptors: ID, symbolic code, severity, title and a message that says how to fix the mistake.</summary>
internal static class DiagnosticCatalog
{
    public const string Category = "Moclojer";
    public const string HelpLinkBase = "https://github.com/moclojer/moclojer-generators/blob/main/docs/diagnostics.md#";

    private static readonly Dictionary<DiagnosticKind, (DiagnosticDescriptor Descriptor, string Code)> Entries = new()
    {
        [DiagnosticKind.YamlSyntax] = (new DiagnosticDescriptor("MOCK001", "The mock file is not valid YAML",
            "The mock file is not valid YAML: {0}. Fix the YAML at this position (check indentation, quotes and ':' inside values).", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: yaml-syntax.", helpLinkUri: HelpLinkBase + "mock001"), "yaml-syntax"),
        [DiagnosticKind.InvalidConfigRoot] = (new DiagnosticDescriptor("MOCK002", "The root of a mock file must be a list",
            "The root of the mock file is {0}; it must be a list of items such as '- endpoint:'", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: invalid-config-root.", helpLinkUri: HelpLinkBase + "mock002"), "invalid-config-root"),
        [DiagnosticKind.InvalidItem] = (new DiagnosticDescriptor("MOCK003", "A list item must be an endpoint or a websocket",
            "This item is {0}; each item must be a mapping with exactly one key, 'endpoint' or 'websocket'", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: invalid-item.", helpLinkUri: HelpLinkBase + "mock003"), "invalid-item"),
        [DiagnosticKind.MissingPath] = (new DiagnosticDescriptor("MOCK004", "An endpoint needs a path",
            "This {0} has no 'path'; add one such as 'path: /users/:id'", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: missing-path.", helpLinkUri: HelpLinkBase + "mock004"), "missing-path"),
        [DiagnosticKind.InvalidPath] = (new DiagnosticDescriptor("MOCK005", "Invalid path",
            "The path '{0}' is invalid: {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: invalid-path.", helpLinkUri: HelpLinkBase + "mock005"), "invalid-path"),
        [DiagnosticKind.MissingResponse] = (new DiagnosticDescriptor("MOCK006", "An endpoint needs a response",
            "This endpoint has no 'response'; add one ('response: {{}}' takes every default: 200 and an empty body)", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: missing-response.", helpLinkUri: HelpLinkBase + "mock006"), "missing-response"),
        [DiagnosticKind.InvalidMethod] = (new DiagnosticDescriptor("MOCK007", "Invalid HTTP method",
            "'{0}' is not an allowed method here; use one of {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: invalid-method.", helpLinkUri: HelpLinkBase + "mock007"), "invalid-method"),
        [DiagnosticKind.InvalidStatus] = (new DiagnosticDescriptor("MOCK008", "Invalid status",
            "The status '{0}' is invalid; use an integer from 100 to 599", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: invalid-status.", helpLinkUri: HelpLinkBase + "mock008"), "invalid-status"),
        [DiagnosticKind.UnknownParamType] = (new DiagnosticDescriptor("MOCK009", "Unknown parameter type",
            "'{0}' is not a parameter type; use string, int, bool, boolean, float, double, uuid or date", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: unknown-param-type.", helpLinkUri: HelpLinkBase + "mock009"), "unknown-param-type"),
        [DiagnosticKind.DuplicatePathParam] = (new DiagnosticDescriptor("MOCK010", "A path parameter is declared twice",
            "The parameter ':{0}' appears twice in '{1}'; give each parameter its own name", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: duplicate-path-param.", helpLinkUri: HelpLinkBase + "mock010"), "duplicate-path-param"),
        [DiagnosticKind.DuplicateEndpoint] = (new DiagnosticDescriptor("MOCK011", "Duplicate endpoint",
            "{0} duplicates the endpoint declared at {1} (same method, host and path shape; parameter names and types do not count); remove one or change its method, host or path", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: duplicate-endpoint.", helpLinkUri: HelpLinkBase + "mock011"), "duplicate-endpoint"),
        [DiagnosticKind.UnterminatedTemplate] = (new DiagnosticDescriptor("MOCK012", "Unterminated template tag",
            "The template tag '{0}' is never closed; add '}}}}'", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: unterminated-template.", helpLinkUri: HelpLinkBase + "mock012"), "unterminated-template"),
        [DiagnosticKind.InvalidTemplate] = (new DiagnosticDescriptor("MOCK013", "Invalid template tag",
            "'{0}' is not a valid template: {1}. A tag is '{{{{ variable }}}}', for example '{{{{path-params.id}}}}'", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: invalid-template.", helpLinkUri: HelpLinkBase + "mock013"), "invalid-template"),
        [DiagnosticKind.UnknownVariableSource] = (new DiagnosticDescriptor("MOCK014", "Unknown variable",
            "'{0}' is not a variable; use path-params.<name>, query-params.<name>, json-params[.<path>], header-params.<Name>, now or uuid", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: unknown-variable-source.", helpLinkUri: HelpLinkBase + "mock014"), "unknown-variable-source"),
        [DiagnosticKind.UndeclaredPathParam] = (new DiagnosticDescriptor("MOCK015", "The path does not declare this parameter",
            "'path-params.{0}' is not declared by the path '{1}'; declare ':{0}' in the path or use one of: {2}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: undeclared-path-param.", helpLinkUri: HelpLinkBase + "mock015"), "undeclared-path-param"),
        [DiagnosticKind.WebhookMissingUrl] = (new DiagnosticDescriptor("MOCK016", "A webhook needs a url",
            "This webhook has no 'url'; add an absolute http(s) url, a relative '/path', or a single template such as '{{{{json-params.callback_url}}}}'", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: webhook-missing-url.", helpLinkUri: HelpLinkBase + "mock016"), "webhook-missing-url"),
        [DiagnosticKind.WebhookInvalidUrl] = (new DiagnosticDescriptor("MOCK017", "Invalid webhook url",
            "The webhook url '{0}' is invalid: {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: webhook-invalid-url.", helpLinkUri: HelpLinkBase + "mock017"), "webhook-invalid-url"),
        [DiagnosticKind.WebhookMissingMethod] = (new DiagnosticDescriptor("MOCK018", "A webhook needs a method",
            "This webhook has no 'method'; add one of GET, POST, PUT, PATCH or DELETE", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: webhook-missing-method.", helpLinkUri: HelpLinkBase + "mock018"), "webhook-missing-method"),
        [DiagnosticKind.InvalidWebhook] = (new DiagnosticDescriptor("MOCK019", "Invalid webhook",
            "'webhook' is {0}; it must be a mapping or a list of mappings", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: invalid-webhook.", helpLinkUri: HelpLinkBase + "mock019"), "invalid-webhook"),
        [DiagnosticKind.InvalidSleepTime] = (new DiagnosticDescriptor("MOCK020", "Invalid sleep-time",
            "The sleep-time '{0}' is invalid; use a number of seconds, 0 or more (decimals allowed)", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: invalid-sleep-time.", helpLinkUri: HelpLinkBase + "mock020"), "invalid-sleep-time"),
        [DiagnosticKind.IfUnknownOperator] = (new DiagnosticDescriptor("MOCK021", "Unknown operator in condition",
            "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: if-unknown-operator.", helpLinkUri: HelpLinkBase + "mock021"), "if-unknown-operator"),
        [DiagnosticKind.IfMalformed] = (new DiagnosticDescriptor("MOCK022", "Malformed condition",
            "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: if-malformed.", helpLinkUri: HelpLinkBase + "mock022"), "if-malformed"),
        [DiagnosticKind.IfNonNumericOperand] = (new DiagnosticDescriptor("MOCK023", "Relational operator with a non-numeric literal",
            "{0}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: if-non-numeric-operand.", helpLinkUri: HelpLinkBase + "mock023"), "if-non-numeric-operand"),
        [DiagnosticKind.InvalidRateLimit] = (new DiagnosticDescriptor("MOCK024", "Invalid rate limit",
            "'{0}: {1}' is invalid; use a positive integer", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: invalid-rate-limit.", helpLinkUri: HelpLinkBase + "mock024"), "invalid-rate-limit"),
        [DiagnosticKind.UnknownProvider] = (new DiagnosticDescriptor("MOCK025", "Unknown external-body provider",
            "'{0}' is not an external-body provider; use 'json'", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: unknown-provider.", helpLinkUri: HelpLinkBase + "mock025"), "unknown-provider"),
        [DiagnosticKind.InvalidPattern] = (new DiagnosticDescriptor("MOCK026", "Invalid websocket pattern",
            "The pattern '{0}' is invalid: {1}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: invalid-pattern.", helpLinkUri: HelpLinkBase + "mock026"), "invalid-pattern"),
        [DiagnosticKind.UnknownKey] = (new DiagnosticDescriptor("MOCK027", "Unknown key",
            "'{0}' is not a key of {1} and is ignored{2}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
            description: "Symbolic code: unknown-key.", helpLinkUri: HelpLinkBase + "mock027"), "unknown-key"),
        [DiagnosticKind.InvalidTimeout] = (new DiagnosticDescriptor("MOCK028", "Invalid webhook timeout",
            "The timeout '{0}' is invalid; use a number of seconds greater than 0 (default 10)", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: invalid-timeout.", helpLinkUri: HelpLinkBase + "mock028"), "invalid-timeout"),
        [DiagnosticKind.InvalidDelay] = (new DiagnosticDescriptor("MOCK029", "Invalid response delay",
            "The delay '{0}' is invalid; use a number of seconds, 0 or more", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: invalid-delay.", helpLinkUri: HelpLinkBase + "mock029"), "invalid-delay"),
        [DiagnosticKind.InvalidValueType] = (new DiagnosticDescriptor("MOCK030", "Value of the wrong kind",
            "'{0}' must be {1}, but it is {2}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: invalid-value.", helpLinkUri: HelpLinkBase + "mock030"), "invalid-value"),
        [DiagnosticKind.ConditionNeverMatches] = (new DiagnosticDescriptor("MOCK031", "Condition can never match",
            "{0}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
            description: "Symbolic code: condition-never-matches.", helpLinkUri: HelpLinkBase + "mock031"), "condition-never-matches"),
        [DiagnosticKind.MissingKey] = (new DiagnosticDescriptor("MOCK032", "Missing required key",
            "This {0} has no '{1}'; {2}", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: missing-key.", helpLinkUri: HelpLinkBase + "mock032"), "missing-key"),
        [DiagnosticKind.MissingExternalFile] = (new DiagnosticDescriptor("MOCK033", "External body file not found",
            "The external-body file '{0}' (resolved to '{1}') is not among the project's AdditionalFiles; create it, fix the path, or add it with <AdditionalFiles Include=\"...\" />", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: missing-external-file.", helpLinkUri: HelpLinkBase + "mock033"), "missing-external-file"),
        [DiagnosticKind.InternalError] = (new DiagnosticDescriptor("MOCK999", "The mock compiler failed",
            "The mock compiler failed on this file: {0}. Please report it with the file.", Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: "Symbolic code: internal-error.", helpLinkUri: HelpLinkBase + "mock999"), "internal-error"),
    };

    public static DiagnosticDescriptor Descriptor(DiagnosticKind kind) => Entries[kind].Descriptor;

    public static string Code(DiagnosticKind kind) => Entries[kind].Code;

    public static string Id(DiagnosticKind kind) => Entries[kind].Descriptor.Id;

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = Entries.Values.Select(e => e.Descriptor).ToImmutableArray();

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = Entries.Values.ToDictionary(e => e.Descriptor.Id, e => e.Descriptor);

    public static DiagnosticDescriptor ForId(string id) => ById[id];

}
