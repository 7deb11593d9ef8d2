namespace Moclojer.Generators.EndToEnd.Infrastructure;

/// <summary>
/// What the product implements so far. Features land issue by issue; a conformance case that needs something
/// not listed here is reported as SKIPPED (never as passed), with the missing feature in the skip reason.
/// Add a name here in the same change that implements it, and its cases start running.
/// </summary>
public static class SupportedFeatures
{
    // Top-level mocks.yml keys whose cases are skipped until the feature is listed in RuntimeFeatures.
    public const string Webhook = "webhook";
    public const string RateLimit = "rate-limit";
    public const string ExternalBody = "external-body";
    public const string WebSocket = "websocket";

    /// <summary>Gated features, in the order used to pick the one named in a skip reason.</summary>
    public static readonly IReadOnlyList<string> GatedFeatures = [Webhook, RateLimit, ExternalBody, WebSocket];

    /// <summary>
    /// A comma-separated list of features and diagnostic kinds whose cases run although they are not listed below,
    /// to try them before listing them, e.g. MOCLOJER_E2E_TRY=rate-limit,invalid-rate-limit. CI never sets it.
    /// </summary>
    public const string TryVariable = "MOCLOJER_E2E_TRY";

    /// <summary>Gated features that are implemented.</summary>
    public static readonly IReadOnlySet<string> RuntimeFeatures = WithTried(
    [
        Webhook,
        RateLimit,
        ExternalBody,
        WebSocket,
    ]);

    /// <summary>
    /// Symbolic diagnostic kinds (spec section V, expect.json's diagnostic_contains) that the generator reports.
    /// A bad/* case whose kind is not here is skipped.
    /// </summary>
    public static readonly IReadOnlySet<string> DiagnosticCodes = WithTried(
    [
        "yaml-syntax",
        "invalid-config-root",
        "invalid-item",
        "missing-path",
        "invalid-path",
        "missing-response",
        "invalid-method",
        "invalid-status",
        "unknown-param-type",
        "duplicate-path-param",
        "duplicate-endpoint",
        "unterminated-template",
        "invalid-template",
        "unknown-variable-source",
        "undeclared-path-param",
        "webhook-missing-url",
        "webhook-invalid-url",
        "webhook-missing-method",
        "invalid-webhook",
        "invalid-sleep-time",
        "invalid-timeout",
        "if-unknown-operator",
        "if-malformed",
        "if-non-numeric-operand",
        "invalid-rate-limit",
        "unknown-provider",
        "invalid-pattern",
        "invalid-delay",
    ]);

    /// <summary>
    /// The product's warning IDs (docs/diagnostics.md) that stay warnings in conformance consumers even though
    /// those projects set TreatWarningsAsErrors: the corpus allows warnings in runtime cases (README 2.3), while a
    /// C# warning in generated code must still fail the build.
    /// </summary>
    public static readonly IReadOnlyList<string> WarningsAllowedInConformance =
    [
        "MOCK027", // unknown-key
        "MOCK031", // condition-never-matches
        "MOCK040", // invalid-json-body
    ];

    private static IReadOnlySet<string> WithTried(string[] listed)
    {
        var set = new HashSet<string>(listed, StringComparer.Ordinal);
        var tried = Environment.GetEnvironmentVariable(TryVariable);
        if (!string.IsNullOrWhiteSpace(tried))
        {
            set.UnionWith(tried.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return set;
    }
}
