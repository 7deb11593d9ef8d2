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

    private static MockServiceDefinition Define(string yaml, params (string Path, string Text)[] dataFiles)
    {
        var files = new List<Microsoft.CodeAnalysis.AdditionalText> { new InMemoryAdditionalText("/project/mocks.yml", yaml) };
        files.AddRange(dataFiles.Select(f => new InMemoryAdditionalText(f.Path, f.Text)));
        var run = GeneratorHarness.Run(files);
        Assert.Empty(run.Errors);
        var service = GeneratorHarness.Load(run).GetType("Moclojer.Generated.MoclojerService", throwOnError: true)!;
        return (MockServiceDefinition)service.GetMethod("CreateDefinition", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!.Invoke(null, null)!;
    }

    private static JsonElement Operation(byte[] document, string path, string method) =>
        JsonDocument.Parse(document).RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static void AssertValid(byte[] document)
    {
        var result = Read(document);
        Assert.Empty(result.Diagnostic?.Errors ?? []);
        Assert.Empty(result.Document!.Validate(Microsoft.OpenApi.ValidationRuleSet.GetDefaultRuleSet()) ?? []);
    }

    [Fact]
    public void Typed_parameters_document_the_400_with_its_error_schema()
    {
        AssertValid(Sample.Value.OpenApiJson);
        var operation = Operation(Sample.Value.OpenApiJson, "/products/{id}", "get");

        var reference = operation.GetProperty("responses").GetProperty("400").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var invalid = Resolve(Sample.Value.OpenApiJson, reference);
        Assert.Equal(["error", "in", "name", "expected", "value"], invalid.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("invalid-parameter", invalid.GetProperty("properties").GetProperty("error").GetProperty("const").GetString());
        // A string parameter never fails, so an endpoint with only those has no 400.
        Assert.False(Operation(Sample.Value.OpenApiJson, "/products", "get").GetProperty("responses").TryGetProperty("400", out _));
    }

    /// <summary>The object a <c>$ref</c> (<c>#/a/b/c</c>) points to in the document, or the element itself when it is not a reference.</summary>
    private static JsonElement Resolve(byte[] document, JsonElement element)
    {
        if (!element.TryGetProperty("$ref", out var reference))
        {
            return element;
        }
        var target = JsonDocument.Parse(document).RootElement;
        foreach (var part in reference.GetString()!.TrimStart('#', '/').Split('/'))
        {
            target = target.GetProperty(part);
        }
        return target;
    }

    [Fact]
    public void Error_schemas_and_rate_limit_headers_are_written_once_and_referenced()
    {
        var yaml = string.Concat(Enumerable.Range(0, 3).Select(i =>
            $"- endpoint:\n    path: /r{i}/:id|int\n    response:\n      body: x\n    rate-limit:\n      max-requests: {i + 1}\n"));
        var definition = Define(yaml);
        AssertValid(definition.OpenApiJson);
        AssertValid(definition.SwaggerJson);

        var openApi = Encoding.UTF8.GetString(definition.OpenApiJson);
        Assert.Equal(1, Count(openApi, "\"invalid-parameter\""));
        Assert.Equal(1, Count(openApi, "requests left in the window"));
        Assert.Equal(3 * 2, Count(openApi, "\"#/components/schemas/InvalidParameter\"") + Count(openApi, "\"#/components/schemas/Error\""));
        var responses = Operation(definition.OpenApiJson, "/r2/{id}", "get").GetProperty("responses");
        var remaining = Resolve(definition.OpenApiJson, responses.GetProperty("429").GetProperty("headers").GetProperty("X-RateLimit-Remaining"));
        Assert.Equal(0, remaining.GetProperty("schema").GetProperty("minimum").GetInt32());
        // The limit differs per endpoint, so it stays inline with its example.
        Assert.Equal(3, responses.GetProperty("200").GetProperty("headers").GetProperty("X-RateLimit-Limit").GetProperty("example").GetInt32());

        var swagger = Encoding.UTF8.GetString(definition.SwaggerJson);
        Assert.Equal(1, Count(swagger, "\"invalid-parameter\""));
        var invalid = Resolve(definition.SwaggerJson, Operation(definition.SwaggerJson, "/r0/{id}", "get").GetProperty("responses").GetProperty("400").GetProperty("schema"));
        Assert.Equal("invalid-parameter", invalid.GetProperty("properties").GetProperty("error").GetProperty("enum")[0].GetString());

        // A mock without typed parameters, limits or failures references nothing, and has no components.
        var plain = Define("- endpoint:\n    path: /plain\n    response:\n      body: x\n");
        Assert.False(JsonDocument.Parse(plain.OpenApiJson).RootElement.TryGetProperty("components", out _));
        Assert.False(JsonDocument.Parse(plain.SwaggerJson).RootElement.TryGetProperty("definitions", out _));

        static int Count(string text, string value) => (text.Length - text.Replace(value, string.Empty, StringComparison.Ordinal).Length) / value.Length;
    }

    [Fact]
    public void Integer_parameters_carry_the_64_bit_bounds_the_mock_checks()
    {
        foreach (var document in new[] { Sample.Value.OpenApiJson, Sample.Value.SwaggerJson })
        {
            var parameter = Operation(document, "/products/{id}", "get").GetProperty("parameters")[0];
            var schema = parameter.TryGetProperty("schema", out var inner) ? inner : parameter;
            Assert.Equal("-9223372036854775808", schema.GetProperty("minimum").GetRawText());
            Assert.Equal("9223372036854775807", schema.GetProperty("maximum").GetRawText());
        }
        var query = Read(Sample.Value.OpenApiJson).Document!.Paths["/products/search"].Operations![HttpMethod.Get].Parameters!.Single(p => p.Name == "limit");
        Assert.Equal(JsonSchemaType.Integer, query.Schema!.Type);
    }

    [Fact]
    public void Rate_limited_endpoints_document_the_429_and_the_headers_of_every_answer()
    {
        var responses = Operation(Sample.Value.OpenApiJson, "/products/search", "get").GetProperty("responses");

        var limited = responses.GetProperty("429");
        Assert.Equal("Rate limit exceeded", limited.GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty("error").GetString());
        foreach (var status in new[] { "200", "400", "429" })
        {
            var headers = responses.GetProperty(status).GetProperty("headers");
            Assert.Equal("integer", headers.GetProperty("X-RateLimit-Limit").GetProperty("schema").GetProperty("type").GetString());
            Assert.True(headers.TryGetProperty("X-RateLimit-Remaining", out _), status);
            Assert.True(headers.TryGetProperty("X-RateLimit-Reset", out _), status);
        }
        Assert.Equal(5, responses.GetProperty("200").GetProperty("headers").GetProperty("X-RateLimit-Limit").GetProperty("example").GetInt32());
        Assert.False(Operation(Sample.Value.OpenApiJson, "/products", "get").GetProperty("responses").TryGetProperty("429", out _));

        var swagger = Operation(Sample.Value.SwaggerJson, "/products/search", "get").GetProperty("responses");
        Assert.True(swagger.GetProperty("429").GetProperty("headers").TryGetProperty("X-RateLimit-Reset", out _));
        Assert.True(swagger.GetProperty("200").GetProperty("headers").TryGetProperty("X-RateLimit-Limit", out _));
    }

    [Fact]
    public void Static_json_bodies_are_examples_as_json_values()
    {
        var products = Operation(Sample.Value.OpenApiJson, "/products", "get").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("example");
        Assert.Equal(JsonValueKind.Array, products.ValueKind);
        Assert.Equal("Laptop", products[0].GetProperty("name").GetString());

        var categories = Operation(Sample.Value.OpenApiJson, "/categories", "get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(categories.TryGetProperty("application/json", out _), "an external body is JSON unless a Content-Type says otherwise");
        // A DELETE answered 204 sends no body.
        Assert.False(Operation(Sample.Value.OpenApiJson, "/orders/{orderId}", "delete").GetProperty("responses").GetProperty("204").TryGetProperty("content", out _));
    }

    [Fact]
    public void Documents_describe_every_answer_of_unusual_endpoints()
    {
        var definition = Define(
            "- endpoint:\n    path: /text\n    response:\n      headers:\n        Content-Type: text/plain; charset=utf-8\n      body: '{\"looks\": \"like json\"}'\n"
            + "- endpoint:\n    path: /broken\n    response:\n      body: '{\"a\": '\n"
            + "- endpoint:\n    path: /refused/:id|int\n    response:\n      status: 400\n      body: '{\"refused\": true}'\n    rate-limit:\n      max-requests: 3\n"
            + "- endpoint:\n    path: /files/:name\n    response:\n      headers:\n        Content-Type: application/vnd.api+json\n      external-body:\n        provider: json\n        path: '{{path-params.name}}.json'\n"
            + "- endpoint:\n    path: /templated-type\n    response:\n      headers:\n        Content-Type: '{{query-params.type}}'\n      body: x\n"
            + "- endpoint:\n    method: HEAD\n    path: /head\n    response:\n      body: '[1]'\n");
        AssertValid(definition.OpenApiJson);
        AssertValid(definition.SwaggerJson);

        // A body whose Content-Type is not JSON is a string example, even when it looks like JSON; so is a JSON type whose text is not JSON.
        var text = Operation(definition.OpenApiJson, "/text", "get").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("text/plain");
        Assert.Equal("{\"looks\": \"like json\"}", text.GetProperty("example").GetString());
        var broken = Operation(definition.OpenApiJson, "/broken", "get").GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json");
        Assert.Equal(JsonValueKind.String, broken.GetProperty("example").ValueKind);

        // A configured 400 and the parameter 400 are one entry whose schema allows either body; the rate-limit headers are on it.
        var refused = Operation(definition.OpenApiJson, "/refused/{id}", "get").GetProperty("responses");
        var either = refused.GetProperty("400").GetProperty("content").GetProperty("application/json");
        Assert.Equal(2, either.GetProperty("schema").GetProperty("oneOf").GetArrayLength());
        Assert.True(either.GetProperty("example").GetProperty("refused").GetBoolean());
        Assert.True(refused.GetProperty("400").GetProperty("headers").TryGetProperty("X-RateLimit-Remaining", out _));
        Assert.Equal(["400", "429"], refused.EnumerateObject().Select(p => p.Name));

        // An external body read per request can fail with 500; its content type is the configured one.
        var files = Operation(definition.OpenApiJson, "/files/{name}", "get").GetProperty("responses");
        Assert.True(files.GetProperty("200").GetProperty("content").TryGetProperty("application/vnd.api+json", out _));
        Assert.True(files.GetProperty("500").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.False(files.TryGetProperty("400", out _));

        Assert.True(Operation(definition.OpenApiJson, "/templated-type", "get").GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("*/*", out _));
        Assert.False(Operation(definition.OpenApiJson, "/head", "head").GetProperty("responses").GetProperty("200").TryGetProperty("content", out _));
    }
}
