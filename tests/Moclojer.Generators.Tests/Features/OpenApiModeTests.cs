using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Moclojer.Generators.Tests.Infrastructure;
using Moclojer.Generators.TestShared;

namespace Moclojer.Generators.Tests.Features;

/// <summary>
/// O-1, O-2: an OpenAPI 3.x document plus a mocks document keyed by operationId. The operations become typed
/// endpoints; operations without a mock answer the document's example (or the defaults) with a warning; unknown
/// keys are errors; /openapi.json is the document itself.
/// </summary>
public class OpenApiModeTests
{
    private static InMemoryAdditionalText File(string name, string text, Dictionary<string, string>? metadata = null) => new("/project/" + name, text, metadata);

    private static string PetstoreJson() => PetstoreExpanded.Json();

    [Theory]
    [InlineData("petstore-expanded.yaml")]
    [InlineData("petstore-expanded.json")]
    public async Task Petstore_operations_are_typed_endpoints_with_their_mocks(string documentName)
    {
        var document = documentName.EndsWith(".json", StringComparison.Ordinal) ? PetstoreJson() : PetstoreExpanded.Yaml;
        var files = new[] { File(documentName, document), File("mocks.yml", PetstoreExpanded.Mocks) };
        var run = GeneratorHarness.Run(files);
        Assert.Empty(run.Errors);
        var warning = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MOCK045", warning.Id);
        Assert.Contains(": deletePet;", warning.GetMessage());
        Assert.Equal("/project/mocks.yml", warning.Location.GetLineSpan().Path);

        await using var service = await GeneratedService.StartAsync(files);
        var client = service.Client;

        var pets = await client.GetAsync("/pets?limit=5");
        Assert.Equal(HttpStatusCode.OK, pets.StatusCode);
        Assert.Equal("Rex", JsonDocument.Parse(await pets.Content.ReadAsStringAsync()).RootElement[0].GetProperty("name").GetString());
        Assert.Contains("\"limit\"", await pets.Content.ReadAsStringAsync());
        Assert.Contains("5", await pets.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/pets?limit=many")).StatusCode); // limit is an integer

        var pet = await client.GetAsync("/pets/007");
        Assert.Equal(HttpStatusCode.OK, pet.StatusCode);
        Assert.Equal("7", pet.Headers.GetValues("X-Pet").Single());
        Assert.Equal(7, JsonDocument.Parse(await pet.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/pets/rex")).StatusCode); // id is an integer

        Assert.Equal(HttpStatusCode.SeeOther, (await client.PostAsync("/pets", new StringContent("{}"))).StatusCode);

        // No mock and no example in the document: the defaults (S-1, S-6).
        var deleted = await client.DeleteAsync("/pets/1");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(string.Empty, await deleted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Openapi_json_is_the_original_document_with_servers_pointing_at_the_mock()
    {
        await using var service = await GeneratedService.StartAsync([File("petstore-expanded.yaml", PetstoreExpanded.Yaml), File("mocks.yml", PetstoreExpanded.Mocks)]);
        var json = await service.Client.GetStringAsync("/openapi.json");

        var read = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_0, read.Diagnostic!.SpecificationVersion);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal("Swagger Petstore", root.GetProperty("info").GetProperty("title").GetString());
        Assert.Equal("apiteam@swagger.io", root.GetProperty("info").GetProperty("contact").GetProperty("email").GetString());
        Assert.Equal("/", root.GetProperty("servers")[0].GetProperty("url").GetString());
        Assert.Equal("find pet by id", root.GetProperty("paths").GetProperty("/pets/{id}").GetProperty("get").GetProperty("operationId").GetString());
        Assert.True(root.GetProperty("components").GetProperty("schemas").TryGetProperty("NewPet", out _));
        Assert.Equal("integer", root.GetProperty("paths").GetProperty("/pets").GetProperty("get").GetProperty("parameters")[1].GetProperty("schema").GetProperty("type").GetString());
    }

    [Fact]
    public void Unknown_operation_id_is_an_error_at_its_key_with_a_suggestion()
    {
        var run = GeneratorHarness.Run([File("petstore.yaml", PetstoreExpanded.Yaml), File("mocks.yml", "findPets: {status: 200}\nfindPet:\n  status: 200\n")]);
        var error = Assert.Single(run.Errors);
        Assert.Equal("MOCK044", error.Id);
        Assert.Equal((2, 1), GeneratorHarness.Position(error));
        Assert.Equal("/project/mocks.yml", error.Location.GetLineSpan().Path);
        Assert.Contains("'findPet' is no operationId of the OpenAPI document petstore.yaml; did you mean 'findPets'?", error.GetMessage());
    }

    [Fact]
    public async Task Operations_without_a_mock_answer_the_documents_first_example_and_are_listed()
    {
        const string document = """
            openapi: 3.1.0
            info: {title: t, version: "1"}
            paths:
              /things/{id}:
                parameters:
                  - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
                get:
                  operationId: getThing
                  responses:
                    '404':
                      description: none
                    '201':
                      description: made
                      content:
                        application/json:
                          examples:
                            first: {value: {id: 1, tags: [a, b], ok: true}}
                put:
                  operationId: putThing
                  responses:
                    '200':
                      description: text
                      content:
                        text/plain:
                          example: plain words
                x-extension: {}
            """;
        var files = new[] { File("api.yml", document), File("mocks.yml", "{}\n") };
        var run = GeneratorHarness.Run(files);
        Assert.Empty(run.Errors);
        var warning = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MOCK045", warning.Id);
        Assert.Contains("2 operation(s)", warning.GetMessage());
        Assert.Contains("getThing, putThing", warning.GetMessage());

        await using var service = await GeneratedService.StartAsync(files);
        var id = Guid.NewGuid();
        var thing = await service.Client.GetAsync("/things/" + id);
        Assert.Equal(HttpStatusCode.Created, thing.StatusCode);
        Assert.Equal("""{"id":1,"tags":["a","b"],"ok":true}""", await thing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await service.Client.GetAsync("/things/not-a-uuid")).StatusCode);

        var text = await service.Client.PutAsync("/things/" + id, null);
        Assert.Equal("text/plain", text.Content.Headers.ContentType!.MediaType);
        Assert.Equal("plain words", await text.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Endpoint_names_default_to_the_operation_id()
    {
        var run = GeneratorHarness.Run([File("petstore.yaml", PetstoreExpanded.Yaml), File("mocks.yml", PetstoreExpanded.Mocks)]);
        var host = run.Sources.Single(s => s.HintName == "MockServer.g.cs").Text;
        Assert.Contains(" findPets", host);
        Assert.Contains(" addPet", host);
        Assert.Contains(" FindPetById", host); // 'find pet by id' made an identifier
        Assert.Contains(" deletePet", host);
        Assert.DoesNotContain("GetPets", host);
    }

    [Fact]
    public void Templates_and_response_rules_are_checked_as_in_mock_files()
    {
        var run = GeneratorHarness.Run([File("petstore.yaml", PetstoreExpanded.Yaml), File("mocks.yml", "findPets:\n  status: 700\n  body: '{{path-params.id}}'\n  colour: red\n")]);
        Assert.Contains(run.Errors, e => e.Id == "MOCK008"); // invalid status
        Assert.Contains(run.Errors, e => e.Id == "MOCK015"); // findPets has no path parameter id
        Assert.Contains(run.GeneratorDiagnostics, d => d.Id == "MOCK027"); // unknown key
    }

    [Fact]
    public void A_response_object_may_add_a_webhook_and_only_then_one_is_sent()
    {
        const string mocks = """
            addPet:
              status: 201
              body: '{"name": "{{json-params.name}}"}'
              webhook:
                url: http://localhost:9000/hooks/pets
                method: POST
                sleep-time: 0
                body: '{"event": "pet.added"}'
            findPets:
              status: 200

            """;
        var run = GeneratorHarness.Run([File("petstore.yaml", PetstoreExpanded.Yaml), File("mocks.yml", mocks)]);
        Assert.Empty(run.Errors);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "MOCK027"); // webhook is a key of a mocks response
        var handlers = run.Sources.Single(s => s.HintName.StartsWith("Mocks_", StringComparison.Ordinal)).Text;
        Assert.Contains("/hooks/pets", handlers);
        Assert.Contains("pet.added", handlers);
    }

    [Fact]
    public void A_mapping_root_without_an_openapi_document_is_still_an_invalid_root()
    {
        var run = GeneratorHarness.Run("findPets: {status: 200}\n");
        Assert.Equal("MOCK002", Assert.Single(run.Errors).Id);
    }

    [Fact]
    public void A_sequence_mocks_document_is_a_normal_mock_file_beside_an_openapi_document()
    {
        var run = GeneratorHarness.Run([File("petstore.yaml", PetstoreExpanded.Yaml), File("mocks.yml", PetstoreExpanded.Mocks), File("more.yml", "- endpoint:\n    path: /health\n    response: {}\n")]);
        Assert.Empty(run.Errors);
        Assert.Contains(run.Sources, s => s.Text.Contains("\"/health\"", StringComparison.Ordinal) || s.Text.Contains("health", StringComparison.Ordinal));
    }

    [Fact]
    public void Several_openapi_documents_need_the_mocks_document_to_name_one()
    {
        var admin = PetstoreExpanded.Yaml.Replace("/pets", "/admin/pets", StringComparison.Ordinal).Replace("operationId: ", "operationId: admin_", StringComparison.Ordinal);
        var unnamed = GeneratorHarness.Run([File("petstore.yaml", PetstoreExpanded.Yaml), File("admin.yaml", admin), File("mocks.yml", PetstoreExpanded.Mocks)]);
        var error = Assert.Single(unnamed.Errors);
        Assert.Equal("MOCK046", error.Id);
        Assert.Contains("admin.yaml, petstore.yaml", error.GetMessage());

        var named = GeneratorHarness.Run([File("petstore.yaml", PetstoreExpanded.Yaml), File("admin.yaml", admin), File("mocks.yml", PetstoreExpanded.Mocks, new() { ["MoclojerOpenApi"] = "petstore.yaml" })]);
        Assert.Empty(named.Errors);

        var wrong = GeneratorHarness.Run([File("petstore.yaml", PetstoreExpanded.Yaml), File("mocks.yml", PetstoreExpanded.Mocks, new() { ["MoclojerOpenApi"] = "store.yaml" })]);
        Assert.Equal("MOCK046", Assert.Single(wrong.Errors).Id);
    }

    [Fact]
    public void Metadata_that_msbuild_writes_empty_for_every_file_does_not_hide_the_openapi_document()
    {
        // MSBuild passes every CompilerVisibleItemMetadata of every AdditionalFile, empty when the item has none.
        var empty = new Dictionary<string, string> { ["Moclojer"] = "", ["MoclojerWorkbook"] = "", ["MoclojerOpenApi"] = "", ["MoclojerData"] = "true" };
        var run = GeneratorHarness.Run([File("petstore-expanded.json", PetstoreJson(), empty), File("mocks.yml", PetstoreExpanded.Mocks, new(empty) { ["MoclojerData"] = "" })]);
        Assert.Empty(run.Errors);
        Assert.Contains(run.Sources, s => s.Text.Contains("FindPetById", StringComparison.Ordinal));
    }

    [Fact]
    public void A_json_openapi_document_is_no_data_file_and_a_json_data_file_is_no_openapi_document()
    {
        var run = GeneratorHarness.Run([
            File("petstore.json", PetstoreJson()),
            File("data/openapi-notes.json", """{"about": "the openapi document", "openapi": 2}"""),
            File("mocks.yml", PetstoreExpanded.Mocks)]);
        Assert.Empty(run.Errors);
        var service = run.Sources.Single(s => s.HintName == "MoclojerService.g.cs").Text;
        Assert.Contains("Swagger Petstore", service);
    }
}
