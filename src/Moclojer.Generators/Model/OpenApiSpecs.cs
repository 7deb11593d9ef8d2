namespace Moclojer.Generators.Model;

/// <summary>
/// O-1: one operation of an OpenAPI document, as the endpoint it becomes: <paramref name="Path"/> in the mock-file
/// syntax (<c>/pets/:id|int</c>), the declared query parameters typed, and the document's first example response
/// (<paramref name="ExampleBody"/> as JSON text; null when the document has none) for when the mocks document has no
/// key for it. <paramref name="Location"/> is the operation in the OpenAPI document (its operationId, or its verb).
/// </summary>
internal sealed record OpenApiOperation(
    string OperationId,
    string Method,
    string Path,
    EquatableArray<QueryParamSpec> Query,
    int ExampleStatus,
    string? ExampleBody,
    string? ExampleContentType,
    LocationInfo Location);

/// <summary>
/// O-1: an OpenAPI 3.x document of the project: its operations, and its text as JSON (YAML converted, <c>servers</c>
/// pointed at the mock service) for <c>/openapi.json</c>. <paramref name="Problems"/> are what cannot be served
/// (reported as invalid-openapi at their place in the document).
/// </summary>
internal sealed record OpenApiDocumentSpec(
    string FullPath,
    string Json,
    EquatableArray<OpenApiOperation> Operations,
    EquatableArray<DiagnosticInfo> Problems);

/// <summary>
/// What a mock file needs to know of OpenAPI mode: the project's OpenAPI documents and the mock file's
/// <c>MoclojerOpenApi</c> item metadata (which document it belongs to when there are several; null when not set).
/// </summary>
internal sealed record OpenApiContext(EquatableArray<OpenApiDocumentSpec> Documents, string? Pairing)
{
    public static OpenApiContext None { get; } = new(EquatableArray<OpenApiDocumentSpec>.Empty, null);
}
