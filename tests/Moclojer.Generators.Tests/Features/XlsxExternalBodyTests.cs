using System.Net;
using System.Text.Json;
using Moclojer.Generators.Tests.Infrastructure;
using Moclojer.Generators.TestShared;
using Moclojer.Runtime;

namespace Moclojer.Generators.Tests.Features;

/// <summary>
/// <c>provider: xlsx</c>. A static path is read when the project builds: the package's targets convert the
/// workbook into JSON with <see cref="MockWorkbook"/> and add it as an AdditionalFile carrying the workbook's path
/// (MoclojerWorkbook metadata), which these tests do by hand. A templated path is read per request.
/// </summary>
public class XlsxExternalBodyTests : IDisposable
{
    private const string Expected = """[{"name":"avelino","langs":"golang"},{"name":"chicao","langs":"python"}]""";

    private static readonly string ProjectDir = AppContext.BaseDirectory;

    private readonly string _dir = Path.Combine(ProjectDir, "moclojer-xlsx-" + Guid.NewGuid().ToString("N"));

    public XlsxExternalBodyTests() => Directory.CreateDirectory(Path.Combine(_dir, "data"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] People() => TestWorkbook.Create(
        ("summary", [["total"], [2]]),
        ("people", [["name", "langs"], ["avelino", "golang"], ["chicao", "python"]]));

    /// <summary>What the package's targets add for a workbook at <paramref name="workbookPath"/>.</summary>
    private static InMemoryAdditionalText Converted(string workbookPath, byte[] workbook)
    {
        using var stream = new MemoryStream(workbook);
        return new InMemoryAdditionalText("/project/obj/moclojer/workbooks/" + Path.GetFileName(workbookPath) + ".json", MockWorkbook.ConvertedJson(stream),
            new() { ["MoclojerWorkbook"] = workbookPath });
    }

    private static string Mock(string path, string? sheet) =>
        "- endpoint:\n    path: " + path + "\n    response:\n      external-body:\n        provider: xlsx\n        path: " + (path.Contains(':', StringComparison.Ordinal) ? "data/{{path-params.name}}.xlsx" : "data/people.xlsx")
        + (sheet is null ? string.Empty : "\n        sheet-name: " + sheet) + "\n";

    [Fact]
    public void Reader_keys_rows_by_the_first_row_and_types_cells()
    {
        var workbook = TestWorkbook.Create(("s", [["id", "name", "active", "note"], [1, "a \"q\"", true, null], [2.5, null, false, "x"], [null, null, null, null], [3]]));
        using var stream = new MemoryStream(workbook);
        var sheet = Assert.Single(MockWorkbook.ReadSheets(stream));
        Assert.Equal("s", sheet.Key);
        Assert.Equal("""[{"id":1,"name":"a \"q\"","active":true,"note":null},{"id":2.5,"name":null,"active":false,"note":"x"},{"id":3,"name":null,"active":null,"note":null}]""", sheet.Value);
    }

    [Fact]
    public void Reader_refuses_a_file_that_is_no_workbook()
    {
        using var stream = new MemoryStream("not a zip"u8.ToArray());
        Assert.Contains("\"error\":\"it is not an .xlsx workbook", MockWorkbook.ConvertedJson(stream));
    }

    [Fact]
    public async Task Static_path_serves_the_named_sheet_and_the_first_sheet_by_default()
    {
        var files = new[]
        {
            new InMemoryAdditionalText("/project/mocks.yml", Mock("/people", "people") + Mock("/first", null)),
            Converted("/project/data/people.xlsx", People()),
        };
        var run = GeneratorHarness.Run(files);
        Assert.Empty(run.Errors);
        Assert.DoesNotContain(run.Sources, s => s.Text.Contains("WriteWorkbookAsync", StringComparison.Ordinal));

        await using var service = await GeneratedService.StartAsync(files);
        var people = await service.Client.GetAsync("/people");
        Assert.Equal(HttpStatusCode.OK, people.StatusCode);
        Assert.Equal("application/json", people.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Expected, await people.Content.ReadAsStringAsync());
        Assert.Equal("""[{"total":2}]""", await service.Client.GetStringAsync("/first"));
    }

    [Fact]
    public void Static_path_with_a_missing_sheet_is_an_error_at_the_path_line_listing_the_sheets()
    {
        var run = GeneratorHarness.Run([new InMemoryAdditionalText("/project/mocks.yml", Mock("/people", "persons")), Converted("/project/data/people.xlsx", People())]);
        var error = Assert.Single(run.Errors);
        Assert.Equal("MOCK042", error.Id);
        Assert.Equal((6, 15), GeneratorHarness.Position(error));
        Assert.Contains("'persons' (its sheets: 'summary', 'people')", error.GetMessage());
    }

    [Fact]
    public void Static_path_to_a_file_that_is_no_workbook_is_an_error()
    {
        using var stream = new MemoryStream("{}"u8.ToArray());
        var converted = new InMemoryAdditionalText("/project/obj/x.json", MockWorkbook.ConvertedJson(stream), new() { ["MoclojerWorkbook"] = "/project/data/people.xlsx" });
        var error = Assert.Single(GeneratorHarness.Run([new InMemoryAdditionalText("/project/mocks.yml", Mock("/people", null)), converted]).Errors);
        Assert.Equal("MOCK043", error.Id);
    }

    [Fact]
    public void Static_path_without_a_converted_workbook_is_missing_even_when_the_xlsx_itself_is_an_additional_file()
    {
        var run = GeneratorHarness.Run([new InMemoryAdditionalText("/project/mocks.yml", Mock("/people", null)), new InMemoryAdditionalText("/project/data/people.xlsx", "PK\u0003\u0004binary")]);
        Assert.Equal("MOCK033", Assert.Single(run.Errors).Id);
    }

    [Fact]
    public async Task Templated_path_is_read_per_request_and_a_missing_sheet_is_a_json_500()
    {
        File.WriteAllBytes(Path.Combine(_dir, "data", "people.xlsx"), People());
        var mocks = Path.Combine(_dir, "mocks.yml");
        File.WriteAllText(mocks, Mock("/x/:name", "people") + Mock("/y/:name", "nope"));
        await using var service = await GeneratedService.StartAsync([new InMemoryAdditionalText(mocks, File.ReadAllText(mocks))], projectDir: ProjectDir);

        var people = await service.Client.GetAsync("/x/people");
        Assert.Equal(HttpStatusCode.OK, people.StatusCode);
        Assert.Equal(Expected, await people.Content.ReadAsStringAsync());

        var missingSheet = await service.Client.GetAsync("/y/people");
        Assert.Equal(HttpStatusCode.InternalServerError, missingSheet.StatusCode);
        Assert.Contains("no sheet 'nope'", JsonDocument.Parse(await missingSheet.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());

        var missingFile = await service.Client.GetAsync("/x/other");
        Assert.Equal(HttpStatusCode.InternalServerError, missingFile.StatusCode);
        Assert.Contains("not found", JsonDocument.Parse(await missingFile.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }
}
