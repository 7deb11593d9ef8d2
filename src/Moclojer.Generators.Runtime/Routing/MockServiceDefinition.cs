namespace Moclojer.Runtime;

/// <summary>Everything the build compiled from the mock files: the routes and the swagger document .</summary>
public sealed class MockServiceDefinition
{
    /// <summary>A service whose router walks the routes' trie from its nodes (a service assembled without the generator).</summary>
    public MockServiceDefinition(IReadOnlyList<MockRoute> routes, byte[] swaggerJson, IReadOnlyList<string> sourceFiles, byte[]? openApiJson = null)
        : this(new MockRouter(routes), swaggerJson, sourceFiles, openApiJson)
    {
    }

    /// <summary>A service with its router (the generator passes one over the trie it compiled).</summary>
    public MockServiceDefinition(MockRouter router, byte[] swaggerJson, IReadOnlyList<string> sourceFiles, byte[]? openApiJson = null)
    {
        OpenApiJson = openApiJson ?? [];
        Router = router;
        SwaggerJson = swaggerJson;
        SourceFiles = sourceFiles;
    }

    public MockRouter Router { get; }

    public byte[] SwaggerJson { get; }

    /// <summary>The OpenAPI 3.1 document computed at build time, served at <c>/openapi.json</c>.</summary>
    public byte[] OpenApiJson { get; }

    /// <summary>The mock files the service was compiled from, for start-up logs.</summary>
    public IReadOnlyList<string> SourceFiles { get; }
}
