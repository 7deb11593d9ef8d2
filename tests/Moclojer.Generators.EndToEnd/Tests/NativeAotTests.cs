using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Moclojer.Generators.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace Moclojer.Generators.EndToEnd.Tests;

/// <summary>
/// The shipped binary: one zero-C# mock project that holds several conformance cases (each case folder copied under
/// cases/ with its data files) is published with Native AOT from the packed package, by the README's command, once;
/// then each case runs against a fresh native process, and the built-in documents and journals are read from it.
/// The cases are chosen to cover templates, typed parameters, JSON bodies, webhooks with sleep-time and conditions,
/// rate limits and external bodies, with no two of them declaring the same route (E-4).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class NativeAotTests(PackageFixture fixture, ITestOutputHelper output)
{
    /// <summary>The README's Native AOT command ("Ship it"), run in the project's folder.</summary>
    public static readonly string[] PublishArguments = ["publish", "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true"];

    public const string ProjectName = "NativeMock";

    public static readonly string[] CaseNames =
    [
        "15-path-param-bool",
        "17-path-param-uuid-date",
        "22-json-params-nested",
        "26-json-escaping",
        "27-template-syntax-details",
        "29-now-and-uuid",
        "32-home-endpoint",
        "35-external-body-json",
        "36-rate-limit-basic",
        "42-webhook-sleep-one-second",
        "55-webhook-if-equals-json",
        "59-webhook-if-greater-than",
        "63-webhook-if-typed-path-relational",
        "73-webhook-rate-limited",
        "80-webhook-if-and-or",
    ];

    public static TheoryData<string> Cases => new(CaseNames);

    [Fact]
    public void Publish_gives_a_native_executable_without_trim_or_aot_warnings()
    {
        var publish = NativePublish.Get(fixture);
        output.WriteLine($"$ {publish.Result?.CommandLine}  ({publish.Result?.Elapsed.TotalSeconds:0} s)");
        Assert.True(publish.Failure == null, publish.Failure);

        var warnings = TrimOrAotWarning().Matches(publish.Result!.Output).Select(m => m.Value.Trim()).Distinct().ToList();
        Assert.True(warnings.Count == 0, $"the Native AOT publish printed {warnings.Count} trim/AOT warning(s):\n" + string.Join("\n", warnings));

        // A native image, not an apphost beside a managed dll.
        var head = new byte[4];
        using (var file = File.OpenRead(publish.ExecutablePath))
        {
            Assert.Equal(4, file.Read(head));
        }

        Assert.Equal(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F' }, head);
        Assert.False(File.Exists(Path.Combine(publish.PublishDir, ProjectName + ".dll")), "a managed dll was published: the publish was not native");
        output.WriteLine($"native executable: {new FileInfo(publish.ExecutablePath).Length / 1024.0 / 1024.0:0.0} MiB");

        // Data files of templated external bodies sit at the mock folder's path inside the project.
        Assert.True(File.Exists(Path.Combine(publish.PublishDir, "cases", "35-external-body-json", "data", "catalog.json")),
            "the data file of a templated external body was not published under the mock folder's relative path");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Conformance_case_against_the_native_executable(string caseName)
    {
        var @case = ConformanceCorpus.Get(CaseKind.Runtime, caseName);
        Assert.True(@case.SkipReason == null, $"{caseName} is skipped by the JIT conformance run ({@case.SkipReason}); choose another case");
        var definition = @case.LoadDefinition();
        output.WriteLine($"{@case.Name}: {definition.Description} [{string.Join(", ", definition.Spec)}]");

        var publish = NativePublish.Get(fixture);
        Assert.True(publish.Failure == null, publish.Failure);
        var receiver = fixture.Receiver is { StartError: null } started ? started : null;
        if (@case.Features.Contains(SupportedFeatures.Webhook))
        {
            Assert.True(receiver != null, fixture.Receiver?.StartError ?? "the webhook receiver was not started");
        }

        // A fresh process per case (rate-limit counters are state). The working directory is an empty folder, not the
        // case folder: the shipped binary must find its data files in its own folder, wherever it is started from.
        using var service = await ServiceProcess.StartAsync(publish.ExecutablePath, publish.RunDir);
        var failures = await new StepRunner(service, receiver, output.WriteLine).RunAsync(definition);
        service.Dispose();
        receiver?.Drain(); // nothing from this case may leak into the next

        if (failures.Count > 0)
        {
            Assert.Fail($"{failures.Count} of {definition.Steps.Count} step(s) failed in {@case.Name} against {service.Description}:\n" +
                        string.Join("\n", failures) + $"\nservice output (tail):\n{ServiceProcess.Tail(service.Log, 2000)}");
        }
    }

    [Fact]
    public async Task Builtin_documents_health_and_journals_are_served_by_the_native_executable()
    {
        var publish = NativePublish.Get(fixture);
        Assert.True(publish.Failure == null, publish.Failure);
        var receiver = fixture.Receiver;
        Assert.True(receiver is { StartError: null }, receiver?.StartError ?? "the webhook receiver was not started");

        var started = Stopwatch.GetTimestamp();
        using var service = await ServiceProcess.StartAsync(publish.ExecutablePath, publish.RunDir);
        var health = await Get(service, "/__moclojer/health");
        output.WriteLine($"start-up to first 200: {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");
        Assert.Equal(200, health.Status);
        Assert.Equal("ok", Json(health).GetProperty("status").GetString());

        var swagger = await Get(service, "/swagger.json");
        Assert.Equal(200, swagger.Status);
        using (var doc = JsonDocument.Parse(swagger.Body))
        {
            Assert.Equal("2.0", doc.RootElement.GetProperty("swagger").GetString());
            var paths = doc.RootElement.GetProperty("paths");
            foreach (var path in new[] { "/users/{id}", "/files/{name}", "/levels/{value}", "/orders/{orderId}", "/limited" })
            {
                Assert.True(paths.TryGetProperty(path, out _), $"/swagger.json has no path {path}: {swagger.BodyText}");
            }
        }

        var openApi = await Get(service, "/openapi.json");
        Assert.Equal(200, openApi.Status);
        using (var doc = JsonDocument.Parse(openApi.Body))
        {
            Assert.StartsWith("3.1", doc.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
            Assert.True(doc.RootElement.GetProperty("paths").TryGetProperty("/temps/{t}", out var temps), openApi.BodyText);
            Assert.True(temps.TryGetProperty("post", out _), openApi.BodyText);
        }

        // A webhook goes out, and both journals serialize what happened (JSON written without reflection).
        receiver!.Drain();
        var post = await RawHttpClient.SendAsync(service.Port, "POST", "/levels/12");
        Assert.Equal(200, post.Status);
        var requests = await Get(service, "/__moclojer/requests?path=/levels/*&wait=5&count=1");
        Assert.Equal(200, requests.Status);
        Assert.Contains("/levels/12", requests.BodyText, StringComparison.Ordinal);
        var webhooks = await Get(service, "/__moclojer/webhooks");
        Assert.Equal(200, webhooks.Status);
        var deadline = Stopwatch.StartNew();
        while (!webhooks.BodyText.Contains("/hooks/high", StringComparison.Ordinal) && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(100);
            webhooks = await Get(service, "/__moclojer/webhooks");
        }

        Assert.Contains("/hooks/high", webhooks.BodyText, StringComparison.Ordinal);
        JsonDocument.Parse(webhooks.Body).Dispose();
        Assert.Contains(receiver.Drain(), c => c.RawTarget == "/hooks/high");
    }

    private static Task<RawResponse> Get(ServiceProcess service, string target) =>
        RawHttpClient.SendAsync(service.Port, "GET", target);

    private static JsonElement Json(RawResponse response)
    {
        using var doc = JsonDocument.Parse(response.Body);
        return doc.RootElement.Clone();
    }

    /// <summary>MSBuild's trim and AOT analysis warnings (IL2xxx/IL3xxx), and any other warning line that names AOT.</summary>
    [GeneratedRegex(@"^.*(\bwarning\s+IL\d{4}\b|\bwarning\b.*\bAOT\b|\bAOT\b.*\bwarning\b).*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex TrimOrAotWarning();
}

/// <summary>
/// The one Native AOT publish of the run (it takes minutes): written and published the first time a test asks,
/// then shared. A failure is recorded and reported by every test that needs the binary.
/// </summary>
public sealed class NativePublish
{
    private static readonly object Gate = new();
    private static NativePublish? _current;

    private NativePublish(string projectDir)
    {
        ProjectDir = projectDir;
    }

    public string ProjectDir { get; }

    public string PublishDir => Path.Combine(ProjectDir, "bin", "Release", "net10.0", "linux-x64", "publish");

    public string ExecutablePath => Path.Combine(PublishDir, NativeAotTests.ProjectName);

    /// <summary>An empty folder the native processes start in.</summary>
    public string RunDir => Path.GetFullPath(Path.Combine(ProjectDir, "..", "run"));

    public CommandResult? Result { get; private set; }

    public string? Failure { get; private set; }

    public static NativePublish Get(PackageFixture fixture)
    {
        lock (Gate)
        {
            if (_current == null)
            {
                fixture.RequireProject("ShopApi"); // fails with the fixture's reason when the package was not packed
                _current = new NativePublish(Path.Combine(fixture.Consumers!.Root, "native", NativeAotTests.ProjectName));
                _current.Run(fixture);
            }

            return _current;
        }
    }

    /// <summary>The C compiler argument the publish needs here, or null with the reason in <paramref name="why"/>.</summary>
    public static string[]? CompilerArguments(out string why)
    {
        why = "";
        if (OnPath("clang"))
        {
            return [];
        }

        if (OnPath("clang-14"))
        {
            return ["-p:CppCompilerAndLinker=clang-14"];
        }

        why = "Native AOT publishing needs clang (and zlib's headers), and neither `clang` nor `clang-14` is on PATH. " +
              "Install them with `apt-get install -y clang zlib1g-dev` (.ci/run does this when they are missing).";
        return null;
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, command)));

    private void Run(PackageFixture fixture)
    {
        var compiler = CompilerArguments(out var why);
        if (compiler == null)
        {
            Failure = why;
            return;
        }

        WriteProject(fixture.Version);
        Result = DotnetCli.Run(
            ProjectDir,
            [.. NativeAotTests.PublishArguments, .. compiler, "-tl:off", "-nologo", "-nodeReuse:false"],
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = RepoLayout.PackagesDir },
            TimeSpan.FromMinutes(20));
        File.WriteAllText(Path.Combine(ProjectDir, "..", "publish.log"), Result.Output);
        var size = File.Exists(ExecutablePath) ? new FileInfo(ExecutablePath).Length : 0;
        fixture.Note($"Native AOT publish of {NativeAotTests.CaseNames.Length} cases: exit {Result.ExitCode} in {Result.Elapsed.TotalSeconds:0.0} s, " +
                     $"executable {size / 1024.0 / 1024.0:0.0} MiB");
        if (!Result.Succeeded || size == 0)
        {
            Failure = $"{Result.CommandLine} failed (exit {Result.ExitCode}; expected {ExecutablePath}):\n{Result.Tail(60)}";
        }
    }

    /// <summary>The README's project shape, with each case folder (mocks.yml and data files) copied under cases/.</summary>
    private void WriteProject(string packageVersion)
    {
        if (Directory.Exists(ProjectDir))
        {
            Directory.Delete(ProjectDir, recursive: true);
        }

        Directory.CreateDirectory(ProjectDir);
        Directory.CreateDirectory(RunDir);
        var mocks = new List<string>();
        foreach (var name in NativeAotTests.CaseNames)
        {
            var @case = ConformanceCorpus.Get(CaseKind.Runtime, name);
            CopyTree(@case.Dir, Path.Combine(ProjectDir, "cases", name));
            mocks.Add($"    <AdditionalFiles Include=\"cases/{name}/mocks.yml\" />");
        }

        File.WriteAllText(Path.Combine(ProjectDir, NativeAotTests.ProjectName + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Moclojer.Generators" Version="{packageVersion}" />
            {string.Join("\n", mocks)}
              </ItemGroup>
            </Project>

            """);
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var sub in Directory.GetDirectories(from))
        {
            CopyTree(sub, Path.Combine(to, Path.GetFileName(sub)));
        }
    }
}
