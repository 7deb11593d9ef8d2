using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Moclojer.Generators.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace Moclojer.Generators.EndToEnd.Tests;

/// <summary>
/// Consumer scenarios beyond the corpus: the samples, Program.cs mode, several mock files, hostile requests.
/// Every one of these projects builds with Nullable and TreatWarningsAsErrors (ConsumerSolution), so a warning in
/// generated code fails them all.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class ScenarioTests(PackageFixture fixture, ITestOutputHelper output)
{
    public const string NoSampleRow = "(no samples/*/ project yet)";

    public static TheoryData<string> Samples
    {
        get
        {
            var rows = new TheoryData<string>();
            foreach (var dir in SampleProjects.Find().Where(SampleProjects.IsMockService))
            {
                rows.Add(Path.GetFileName(dir));
            }

            return rows;
        }
    }

    /// <summary>Samples that are test projects (samples/ShopApi.Tests): run against the packed package.</summary>
    public static TheoryData<string> SampleTestProjects
    {
        get
        {
            var rows = new TheoryData<string>();
            foreach (var dir in SampleProjects.Find().Where(SampleProjects.IsTestProject))
            {
                rows.Add(Path.GetFileName(dir));
            }

            return rows;
        }
    }

    public static TheoryData<string> NoSamples =>
        SampleProjects.Find().Count == 0 ? new TheoryData<string> { NoSampleRow } : new TheoryData<string>();

    [Fact]
    public void Fixture_packs_and_builds()
    {
        output.WriteLine(fixture.Timeline);
        Assert.True(fixture.PackFailure == null, fixture.PackFailure);
        Assert.True(File.Exists(fixture.NupkgPath), $"{fixture.NupkgPath} missing");
        Assert.True(fixture.GoodBuild != null, "the consumer projects were not built");
    }

    [Theory]
    [MemberData(nameof(Samples))]
    [MemberData(nameof(NoSamples), Skip = "no samples/*/ folder with a .csproj exists yet")]
    public async Task Sample_builds_against_the_package_and_serves_home(string sample)
    {
        var project = fixture.RequireBuilt(SampleProjects.ProjectName(Path.Combine(RepoLayout.SamplesDir, sample)));
        // A sample may have its own Program.cs, so pass ASP.NET's own setting as well as HOST/PORT (CLI-1).
        using var service = await ServiceProcess.StartAsync(
            project.DllPath,
            project.Dir,
            new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = "http://127.0.0.1:{PORT}" });
        var response = await Get(service, "/");
        Assert.True(response.Status == 200, $"GET / on sample {sample}: {response.Describe()}\n{ServiceProcess.Tail(service.Log)}");
    }

    /// <summary>
    /// A test project that references a zero-C# mock built from the packed package uses the mock's generated test host
    /// (MockServer, typed endpoints): its tests pass as they do inside the repository.
    /// </summary>
    [Theory]
    [MemberData(nameof(SampleTestProjects))]
    public void Sample_tests_pass_against_the_package(string sample)
    {
        var project = fixture.RequireBuilt(SampleProjects.ProjectName(Path.Combine(RepoLayout.SamplesDir, sample)));
        var test = DotnetCli.Run(
            project.Dir,
            ["test", project.ProjectPath, "-c", "Release", "--no-build", "-nologo"],
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = RepoLayout.PackagesDir },
            TimeSpan.FromMinutes(5));
        output.WriteLine(test.Output);
        var summary = Regex.Match(test.Output, @"Failed:\s+(?<failed>\d+), Passed:\s+(?<passed>\d+)");
        Assert.True(summary.Success, $"no test summary from {sample}:\n{test.Output}");
        Assert.Equal("0", summary.Groups["failed"].Value);
        Assert.NotEqual("0", summary.Groups["passed"].Value);
    }

    [Fact]
    public async Task Program_cs_mode_serves_mocks_and_own_endpoints()
    {
        var project = fixture.RequireBuilt(Scenarios.ProgramCs);
        using var service = await ServiceProcess.StartAsync(
            project.DllPath, project.Dir, args: ["--urls", "http://127.0.0.1:{PORT}"]);

        var failures = new List<string>();
        var own = await Get(service, "/own");
        Check(failures, own.Status == 200 && own.BodyText == "own", "GET /own", own);

        var mock = await Get(service, "/mock/ana");
        Check(failures, mock.Status == 200 && JsonEquals(mock, """{"from": "mock", "name": "ana"}"""), "GET /mock/ana", mock);
        Finish(failures, service);
    }

    [Fact]
    public async Task Two_mock_files_in_one_project_both_serve()
    {
        var project = fixture.RequireBuilt(Scenarios.TwoFiles);
        using var service = await ServiceProcess.StartAsync(project.DllPath, project.Dir);

        var failures = new List<string>();
        var one = await Get(service, "/one");
        Check(failures, one.Status == 200 && JsonEquals(one, """{"file": "mocks.yml"}"""), "GET /one (mocks.yml)", one);

        var two = await RawHttpClient.SendAsync(service.Port, "POST", "/two/007?q=x%20y");
        Check(failures,
            two.Status == 201 && two.Header("X-File") == "more"
            && JsonEquals(two, """{"file": "more.mocks.yml", "id": 7, "q": "x y"}"""),
            "POST /two/007?q=x%20y (more.mocks.yml)", two);
        Finish(failures, service);
    }

    /// <summary>
    /// X-3 and portability: a templated external body is read from the build output, where the package's targets
    /// copy the mock folder's data files, so the output copied to another folder and started from there still
    /// serves them (the generated code holds no path of the build machine). X-2: a value cannot climb out.
    /// </summary>
    [Fact]
    public async Task External_body_data_files_travel_with_the_build_output()
    {
        var project = fixture.RequireBuilt(Scenarios.ExternalData);
        var outputDir = Path.GetDirectoryName(project.DllPath)!;
        Assert.True(File.Exists(Path.Combine(outputDir, "mocks", "data", "users.json")), "mocks/data/users.json is not in the build output " + outputDir);

        var moved = Path.Combine(RepoLayout.E2EDir, "moved-" + Guid.NewGuid().ToString("N")[..8]);
        CopyTree(outputDir, moved);
        try
        {
            using var service = await ServiceProcess.StartAsync(Path.Combine(moved, Path.GetFileName(project.DllPath)), moved);

            var failures = new List<string>();
            var users = await Get(service, "/files/users");
            Check(failures, users.Status == 200 && JsonEquals(users, """[{"id": 1, "path": "users"}]"""), "GET /files/users (run-time file from the moved output)", users);
            var fixedBody = await Get(service, "/static");
            Check(failures, fixedBody.Status == 200 && JsonEquals(fixedBody, """{"static": true}"""), "GET /static (compiled in)", fixedBody);
            var climb = await Get(service, "/files/..%2Fsecret");
            // The one 500 that is expected here (X-6): Check would count any 5xx as a failure.
            output.WriteLine($"GET /files/..%2Fsecret (X-2): HTTP {climb.Status}");
            if (climb.Status != 500 || climb.BodyText.Contains("not be served", StringComparison.Ordinal))
            {
                failures.Add($"GET /files/..%2Fsecret (X-2): expected a 500 without the file's content\n  {climb.Describe()}");
            }
            Finish(failures, service);
        }
        finally
        {
            Directory.Delete(moved, recursive: true);
        }
    }

    /// <summary>
    /// O-1 with the OpenAPI Initiative's petstore-expanded document (as JSON, found by the data-file glob) and a mocks
    /// document; X-4 with a workbook converted at build time and one read per request.
    /// </summary>
    [Fact]
    public async Task OpenApi_petstore_and_xlsx_sheets_are_served()
    {
        var project = fixture.RequireBuilt(Scenarios.OpenApiPetstore);
        using var service = await ServiceProcess.StartAsync(project.DllPath, project.Dir);

        var failures = new List<string>();
        var pets = await Get(service, "/pets?limit=5");
        Check(failures, pets.Status == 200 && JsonEquals(pets, """[{"id": 1, "name": "Rex", "limit": "5"}]"""), "GET /pets?limit=5 (findPets)", pets);
        var badLimit = await Get(service, "/pets?limit=many");
        Check(failures, badLimit.Status == 400, "GET /pets?limit=many (limit is an integer)", badLimit);
        var pet = await Get(service, "/pets/007");
        Check(failures, pet.Status == 200 && pet.Header("X-Pet") == "7" && JsonEquals(pet, """{"id": 7, "name": "Rex"}"""), "GET /pets/007 ('find pet by id')", pet);
        var badId = await Get(service, "/pets/rex");
        Check(failures, badId.Status == 400, "GET /pets/rex (id is an integer)", badId);
        var added = await RawHttpClient.SendAsync(service.Port, "POST", "/pets", body: Encoding.UTF8.GetBytes("""{"name": "Rex"}"""));
        Check(failures, added.Status == 303, "POST /pets (addPet)", added);
        var deleted = await RawHttpClient.SendAsync(service.Port, "DELETE", "/pets/1");
        Check(failures, deleted.Status == 200, "DELETE /pets/1 (deletePet: no mock, no example)", deleted);

        var document = await Get(service, "/openapi.json");
        var served = document.Status == 200 ? JsonDocument.Parse(document.BodyText).RootElement : default;
        Check(failures, document.Status == 200
            && served.GetProperty("info").GetProperty("title").GetString() == "Swagger Petstore"
            && served.GetProperty("servers")[0].GetProperty("url").GetString() == "/"
            && served.GetProperty("paths").GetProperty("/pets/{id}").GetProperty("get").GetProperty("operationId").GetString() == "find pet by id",
            "GET /openapi.json (the petstore document itself)", document);

        const string people = """[{"name":"avelino","langs":"golang"},{"name":"chicao","langs":"python"}]""";
        var sheet = await Get(service, "/people");
        Check(failures, sheet.Status == 200 && sheet.BodyText == people, "GET /people (xlsx converted at build time)", sheet);
        var runtimeSheet = await Get(service, "/sheets/people");
        Check(failures, runtimeSheet.Status == 200 && runtimeSheet.BodyText == people, "GET /sheets/people (xlsx read per request)", runtimeSheet);
        Finish(failures, service);
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>
    /// MOCK006 and MOCK013 as `dotnet build` prints them: the whole message on the diagnostic's own line, which ends
    /// with the project in brackets (a line break in a message would cut it there, and leave the rest unattributed).
    /// Checked against the line as printed, not against the message alone.
    /// </summary>
    [Fact]
    public void Mock_file_errors_print_their_whole_message_on_one_line()
    {
        var project = fixture.RequireProject(Scenarios.BadMessages);
        Assert.True(project.Build != null, project.BuildFailure);
        var mocks = Path.GetFullPath(Path.Combine(project.Dir, "mocks.yml"));
        var lines = project.Build!.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        foreach (var (id, message) in Scenarios.BadMessagesExpected)
        {
            var printed = lines.Where(l => l.Contains($": error {id}: ", StringComparison.Ordinal) && l.Contains(mocks, StringComparison.Ordinal)).ToList();
            Assert.True(printed.Count > 0, $"no {id} line for {mocks} in the build output:\n{project.Build.Tail(60)}");
            foreach (var line in printed)
            {
                output.WriteLine(line);
                Assert.Contains($": error {id}: {message}", line, StringComparison.Ordinal);
                var parsed = MsBuildDiagnostic.TryParse(line);
                Assert.NotNull(parsed);
                // The compiler prints the rule's help link after the message: "message (https://...) [project]".
                Assert.Equal(message, HelpLinkSuffix().Replace(parsed.Message, string.Empty));
                Assert.Equal(Path.GetFullPath(project.ProjectPath), parsed.Project);
            }
        }
    }

    [Fact]
    public async Task Hostile_requests_never_get_a_500()
    {
        var project = fixture.RequireBuilt(Scenarios.BadRequests);
        // Kestrel's own limit, made small through configuration so an oversized body is cheap to send.
        using var service = await ServiceProcess.StartAsync(
            project.DllPath,
            project.Dir,
            new Dictionary<string, string?> { ["Kestrel__Limits__MaxRequestBodySize"] = "1024" });

        var failures = new List<string>();
        var json = new KeyValuePair<string, string>("Content-Type", "application/json");

        // S-8: a body that is not JSON leaves json-params empty; the request is served normally.
        var malformed = await RawHttpClient.SendAsync(service.Port, "POST", "/echo", [json], Encoding.UTF8.GetBytes("{\"name\": "));
        Check(failures, malformed.Status == 201 && JsonEquals(malformed, """{"name": ""}"""), "malformed JSON body (S-8)", malformed);

        // P-3: the route matched but the value does not fit the type.
        var wrongType = await Get(service, "/items/abc");
        Check(failures,
            wrongType.Status == 400
            && (wrongType.Header("Content-Type") ?? "").StartsWith("application/json", StringComparison.Ordinal)
            && JsonEquals(wrongType, """{"error":"invalid-parameter","in":"path","name":"id","expected":"int","value":"abc"}"""),
            "wrong-typed path value (P-3)", wrongType);

        var unknown = await Get(service, "/nope");
        Check(failures, unknown.Status == 404, "unknown path (R-2)", unknown);

        var wrongMethod = await RawHttpClient.SendAsync(service.Port, "DELETE", "/ok");
        Check(failures, wrongMethod.Status == 405, "wrong method (R-2)", wrongMethod);

        var bigHeader = await RawHttpClient.SendAsync(service.Port, "GET", "/ok", [new("X-Big", new string('a', 100 * 1024))]);
        Check(failures, bigHeader.Status == 431, "100 KB header (Kestrel: 431)", bigHeader);

        var bigBody = Encoding.UTF8.GetBytes("{\"name\": \"" + new string('b', 4096) + "\"}");
        var tooLarge = await RawHttpClient.SendAsync(service.Port, "POST", "/echo", [json], bigBody);
        Check(failures, tooLarge.Status == 413, "body over Kestrel__Limits__MaxRequestBodySize=1024 (413)", tooLarge);

        foreach (var target in new[] { "/items/%ZZ", "/items/%C3%28", "/ok%ZZ", "/%", "/items/" + new string('9', 40) })
        {
            var r = await Get(service, target);
            Check(failures, r.Status is >= 400 and < 500, $"invalid escape or value {RawHttpClient.Shorten(target)} (expect 4xx)", r);
        }

        var longButAllowed = await Get(service, "/items/" + new string('x', 7000));
        Check(failures, longButAllowed.Status == 400, "7000-character path segment (P-3: 400)", longButAllowed);

        var tooLong = await Get(service, "/" + new string('a', 20_000));
        Check(failures, tooLong.Status == 414, "20000-character path (Kestrel: 414)", tooLong);

        var after = await Get(service, "/ok");
        Check(failures, after.Status == 200 && JsonEquals(after, """{"ok": true}"""), "a normal request afterwards", after);
        Finish(failures, service);
    }

    [Fact]
    public void Package_layout()
    {
        Assert.True(fixture.PackFailure == null, fixture.PackFailure);
        using var zip = System.IO.Compression.ZipFile.OpenRead(fixture.NupkgPath);
        var entries = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);
        foreach (var e in entries.Order(StringComparer.Ordinal))
        {
            output.WriteLine(e);
        }

        string[] required =
        [
            "analyzers/dotnet/cs/Moclojer.Generators.dll",
            "analyzers/dotnet/cs/YamlDotNet.dll",
            "lib/net10.0/Moclojer.Generators.Runtime.dll",
            "build/Moclojer.Generators.props",
            "build/MockWorkbook.cs", // the xlsx reader the targets compile as an inline task (X-4)
        ];
        var missing = required.Where(r => !entries.Contains(r)).ToList();
        Assert.True(missing.Count == 0, $"{Path.GetFileName(fixture.NupkgPath)} lacks: {string.Join(", ", missing)}");
    }

    private static Task<RawResponse> Get(ServiceProcess service, string target) =>
        RawHttpClient.SendAsync(service.Port, "GET", target);

    private static bool JsonEquals(RawResponse response, string expectedJson)
    {
        try
        {
            using var expected = JsonDocument.Parse(expectedJson);
            using var actual = JsonDocument.Parse(response.Body);
            return JsonMatcher.Compare(expected.RootElement, actual.RootElement, subset: false).Count == 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Check(List<string> failures, bool ok, string what, RawResponse response)
    {
        output.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}: HTTP {response.Status}");
        if (response.Status >= 500)
        {
            failures.Add($"{what}: got a {response.Status.ToString(CultureInfo.InvariantCulture)}, which must never happen\n  {response.Describe()}");
        }
        else if (!ok)
        {
            failures.Add($"{what}: unexpected response\n  {response.Describe()}");
        }
    }

    private static void Finish(List<string> failures, ServiceProcess service)
    {
        if (failures.Count > 0)
        {
            Assert.Fail(string.Join("\n", failures) + $"\nservice output (tail):\n{ServiceProcess.Tail(service.Log, 2000)}");
        }
    }

    [GeneratedRegex(@" \(https?://[^\s()]+\)$")]
    private static partial Regex HelpLinkSuffix();
}
