using System.Net;
using System.Text.Json;
using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Features;

/// <summary>
/// X: external bodies read at build time (AdditionalFiles) and per request (templated paths, urls). A run-time file is
/// found relative to the application's base directory, where the package's targets copy the data files: these tests
/// lay the mock folder out the same way, as a folder of the project under the test's base directory.
/// </summary>
public class ExternalBodyTests : IDisposable
{
    /// <summary>The project folder as the service sees it: its output folder.</summary>
    private static readonly string ProjectDir = AppContext.BaseDirectory;

    private readonly string _dir = Path.Combine(ProjectDir, "moclojer-x-" + Guid.NewGuid().ToString("N"));

    public ExternalBodyTests() => Directory.CreateDirectory(Path.Combine(_dir, "data"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static InMemoryAdditionalText FileOf(string path) => new(path, File.ReadAllText(path));

    [Fact]
    public async Task Conformance_case_35_reads_build_time_and_run_time_files_and_refuses_traversal()
    {
        // The case's folder as the package's targets copy it into the output.
        var caseDir = Path.Combine(Corpus.ConformanceDir, "cases", "35-external-body-json");
        foreach (var file in Directory.GetFiles(caseDir, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(_dir, Path.GetRelativePath(caseDir, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        var files = Directory.GetFiles(_dir, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal) && !f.EndsWith("case.json", StringComparison.Ordinal) || f.EndsWith("mocks.yml", StringComparison.Ordinal))
            .Select(FileOf);
        await using var service = await GeneratedService.StartAsync(files, projectDir: ProjectDir);
        var client = service.Client;

        var user = await client.GetAsync("/users/7");
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        Assert.Equal("application/json", user.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"id":"7","source":"file","tags":["x"]}""", await user.Content.ReadAsStringAsync()); // S-11: compact

        var catalog = await client.GetAsync("/files/catalog");
        Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);
        Assert.Equal("[1,2,3]", JsonDocument.Parse(await catalog.Content.ReadAsStringAsync()).RootElement.GetProperty("items").GetRawText().Replace(" ", ""));

        foreach (var path in new[] { "/files/missing", "/files/..%2Fsecret", "/files/a%5Cb" })
        {
            var failed = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            var body = await failed.Content.ReadAsStringAsync();
            Assert.True(JsonDocument.Parse(body).RootElement.TryGetProperty("error", out _), body);
            Assert.DoesNotContain("must not be served", body);
        }
    }

    [Fact]
    public async Task Build_time_file_is_compiled_into_the_service_and_needs_no_data_folder()
    {
        var mocks = Path.Combine(_dir, "mocks.yml");
        File.WriteAllText(mocks, "- endpoint:\n    path: /a/:id|int\n    response:\n      status: 201\n      external-body:\n        provider: json\n        path: ./data/../data/a.json\n");
        var data = Path.Combine(_dir, "data", "a.json");
        File.WriteAllText(data, """{"id": {{path-params.id}}, "name": "{{query-params.name}}"}""");
        var run = GeneratorHarness.Run([FileOf(mocks), FileOf(data)]);
        Assert.DoesNotContain(run.Sources, s => s.Text.Contains("MockExternalBody", StringComparison.Ordinal));
        File.Delete(data);

        await using var service = await GeneratedService.StartAsync([new InMemoryAdditionalText(mocks, File.ReadAllText(mocks)), new InMemoryAdditionalText(data, """{"id": {{path-params.id}}, "name": "{{query-params.name}}"}""")]);
        var response = await service.Client.GetAsync("/a/007?name=A%22b");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("""{"id":7,"name":"A\"b"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Missing_build_time_file_is_an_error_at_the_path_line()
    {
        var run = GeneratorHarness.Run("- endpoint:\n    path: /a\n    response:\n      external-body:\n        provider: json\n        path: data/a.json\n");

        var error = Assert.Single(run.Errors);
        Assert.Equal("MOCK033", error.Id);
        Assert.Equal((6, 15), GeneratorHarness.Position(error));
        Assert.Contains("/project/data/a.json", error.GetMessage());
    }

    [Fact]
    public async Task Run_time_file_is_rendered_per_request_with_json_aware_escaping_and_bad_templates_are_500()
    {
        File.WriteAllText(Path.Combine(_dir, "data", "u.json"), """{"n": "{{json-params.name}}", "raw": {{json-params.age}}, "h": "{{header-params.x-a}}", "p": "{{path-params.name}}"}""");
        File.WriteAllText(Path.Combine(_dir, "data", "bad.json"), """{"n": "{{request.id}}"}""");
        var mocks = Path.Combine(_dir, "mocks.yml");
        File.WriteAllText(mocks, "- endpoint:\n    method: POST\n    path: /f/:name\n    response:\n      headers:\n        Content-Type: text/plain\n      external-body:\n        provider: json\n        path: data/{{path-params.name}}.json\n");
        await using var service = await GeneratedService.StartAsync([FileOf(mocks)], projectDir: ProjectDir);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/f/u") { Content = new StringContent("""{"name": "a\"b", "age": 3}""") };
        request.Headers.Add("X-A", "h");
        var response = await service.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"n": "a\"b", "raw": 3, "h": "h", "p": "u"}""", await response.Content.ReadAsStringAsync());

        var bad = await service.Client.PostAsync("/f/bad", null);
        Assert.Equal(HttpStatusCode.InternalServerError, bad.StatusCode);
        Assert.Contains("request.id", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Build_time_path_falls_back_from_the_mock_folder_to_the_project_folder()
    {
        // moclojer resolves paths from where it runs: a mock in mocks/ naming data/a.json means <project>/data/a.json.
        var files = new[]
        {
            new InMemoryAdditionalText("/project/mocks/mocks.yml", "- endpoint:\n    path: /a\n    response:\n      external-body:\n        provider: json\n        path: data/a.json\n"),
            new InMemoryAdditionalText("/project/data/a.json", """{"from": "project"}"""),
        };
        await using (var service = await GeneratedService.StartAsync(files))
        {
            Assert.Equal("""{"from":"project"}""", await service.Client.GetStringAsync("/a"));
        }

        // The mock file's folder wins when both have the file.
        await using (var service = await GeneratedService.StartAsync([.. files, new InMemoryAdditionalText("/project/mocks/data/a.json", """{"from": "mock folder"}""")]))
        {
            Assert.Equal("""{"from":"mock folder"}""", await service.Client.GetStringAsync("/a"));
        }
    }

    [Fact]
    public void Missing_build_time_file_names_every_place_tried()
    {
        var run = GeneratorHarness.Run("- endpoint:\n    path: /a\n    response:\n      external-body:\n        provider: json\n        path: data/a.json\n", "/project/mocks/mocks.yml");
        var error = Assert.Single(run.Errors);
        Assert.Equal("MOCK033", error.Id);
        Assert.Contains("tried '/project/mocks/data/a.json' and '/project/data/a.json'", error.GetMessage());
    }
}
