using System.Reflection;
using System.Text;
using System.Text.Json;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Moclojer.Generators.Tests.Infrastructure;
using Moclojer.Runtime;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>The Swagger 2.0 and OpenAPI 3.1 documents computed at build time are valid and describe the endpoints.</summary>
public class ApiDocumentTests
{
    private static readonly Lazy<MockServiceDefinition> Sample = new(() =>
    {
        var dir = Path.Combine(Corpus.RepoRoot, "samples", "ShopApi");
        var files = new List<Microsoft.CodeAnalysis.AdditionalText> { new InMemoryAdditionalText(Path.Combine(dir, "mocks.yml"), File.ReadAllText(Path.Combine(dir, "mocks.yml"))) };
        files.AddRange(Directory.GetFiles(dir, "*.json", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/bin/") && !p.Contains("/obj/"))
            .Select(p => new InMemoryAdditionalText(p, File.ReadAllText(p))));
        var run = GeneratorHarness.Run(files);
        Assert.Empty(run.Errors);
        var service = GeneratorHarness.Load(run).GetType("Moclojer.Generated.MoclojerService", throwOnError: true)!;
        return (MockServiceDefinition)service.GetMethod("CreateDefinition", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!.Invoke(null, null)!;
    });

    private static ReadResult Read(byte[] json)
    {
        var settings = new OpenApiReaderSettings();
        return OpenApiDocument.Parse(Encoding.UTF8.GetString(json), "json", settings);
    }

    [Fact]
    public void OpenApi_31_document_is_valid_and_typed()
    {
        var result = Read(Sample.Value.OpenApiJson);

        Assert.Empty(result.Diagnostic?.Errors ?? []);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, result.Diagnostic!.SpecificationVersion);
        var operation = result.Document!.Paths["/products/{id}"].Operations![HttpMethod.Get];
        var parameter = Assert.Single(operation.Parameters!);
        Assert.Equal("id", parameter.Name);
        Assert.Equal(JsonSchemaType.Integer, parameter.Schema!.Type);
        Assert.True(result.Document.Paths["/orders"].Operations!.ContainsKey(HttpMethod.Post));
        Assert.True(operation.Responses!.ContainsKey("200"));
    }

    [Fact]
    public void Swagger_20_document_is_valid()
    {
        var result = Read(Sample.Value.SwaggerJson);

        Assert.Empty(result.Diagnostic?.Errors ?? []);
        Assert.Equal(OpenApiSpecVersion.OpenApi2_0, result.Diagnostic!.SpecificationVersion);
        Assert.NotEmpty(result.Document!.Paths);
    }

    [Fact]
    public void Sample_request_body_is_documented()
    {
        var run = GeneratorHarness.Run("- endpoint:\n    method: POST\n    path: /orders\n    body:\n      item: book\n      qty: 2\n    response: {status: 201}\n");
        var service = GeneratorHarness.Load(run).GetType("Moclojer.Generated.MoclojerService", throwOnError: true)!;
        var definition = (MockServiceDefinition)service.GetMethod("CreateDefinition", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!.Invoke(null, null)!;

        using var document = JsonDocument.Parse(definition.OpenApiJson);
        var example = document.RootElement.GetProperty("paths").GetProperty("/orders").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal("book", example.GetProperty("item").GetString());
        Assert.Equal(2, example.GetProperty("qty").GetInt32());
        Assert.Empty(Read(definition.OpenApiJson).Diagnostic?.Errors ?? []);
    }
}
