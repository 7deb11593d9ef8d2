using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Moclojer.Generators.EndToEnd.Infrastructure;

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "EndToEnd";
}

/// <summary>
/// Once per test run: packs Moclojer.Generators under a unique version into a local feed, writes one folder of
/// consumer projects (one per runnable conformance case, the scenario projects, the samples), builds the good
/// ones in one solution build and the bad cases in another, and starts the webhook receiver.
/// Failures are recorded, not thrown: every test then fails with the recorded reason, which reads better than
/// xunit's "fixture threw" and keeps skipped cases skipped.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    private readonly StringBuilder _timeline = new();
    private readonly Stopwatch _total = Stopwatch.StartNew();

    public PackageFixture()
    {
        // Unique per run: NuGet caches a version forever, so a repacked same version would be served stale.
        Version = "0.0.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
    }

    public string Version { get; }

    public string NupkgPath => Path.Combine(RepoLayout.FeedDir, $"Moclojer.Generators.{Version}.nupkg");

    /// <summary>Null when the package was packed; otherwise the reason and the pack output.</summary>
    public string? PackFailure { get; private set; }

    public ConsumerSolution? Consumers { get; private set; }

    public CommandResult? GoodBuild { get; private set; }

    public CommandResult? BadBuild { get; private set; }

    public WebhookReceiver? Receiver { get; private set; }

    /// <summary>Timings and milestones of the fixture, also written to artifacts/e2e/timings.txt.</summary>
    public string Timeline
    {
        get
        {
            lock (_timeline)
            {
                return _timeline.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        try
        {
            Note($"E2E fixture: version {Version}, repo {RepoLayout.Root}, corpus {ConformanceCorpus.Dir} " +
                 $"({(ConformanceCorpus.Exists ? "found" : "MISSING")})");
            Prepare();
            if (!Pack())
            {
                return;
            }

            WriteConsumers();
            BuildConsumers();
            Receiver = await WebhookReceiver.StartAsync();
            Note(Receiver.StartError ?? $"webhook receiver listening on 127.0.0.1:{WebhookReceiver.Port}");
        }
        catch (Exception ex)
        {
            PackFailure ??= $"the E2E fixture failed: {ex}";
            Note(PackFailure);
        }
        finally
        {
            Note($"fixture ready after {_total.Elapsed.TotalSeconds:0.0} s");
            TryWriteTimings();
        }
    }

    public async Task DisposeAsync()
    {
        if (Receiver != null)
        {
            await Receiver.DisposeAsync();
        }

        // The consumer builds used the compiler server; don't leave it running after the tests.
        if (Consumers != null)
        {
            var shutdown = DotnetCli.Run(RepoLayout.E2EDir, ["build-server", "shutdown", "--vbcscompiler"], timeout: TimeSpan.FromMinutes(1));
            Note($"compiler server shutdown: exit {shutdown.ExitCode}");
        }

        Note($"E2E run finished after {_total.Elapsed.TotalSeconds:0.0} s");
        TryWriteTimings();
    }

    /// <summary>The consumer project of that name; fails the calling test when the fixture could not provide it.</summary>
    public ConsumerProject RequireProject(string name)
    {
        if (PackFailure != null)
        {
            Assert.Fail(PackFailure);
        }

        var project = Consumers?.Find(name);
        Assert.True(project != null, $"no consumer project '{name}' was generated (was the case classified as skipped?)");
        return project!;
    }

    /// <summary>The consumer project, which must have built (else the test fails with its build errors).</summary>
    public ConsumerProject RequireBuilt(string name)
    {
        var project = RequireProject(name);
        if (project.BuildFailure is { } why)
        {
            Assert.Fail(why);
        }

        return project;
    }

    public void Note(string line)
    {
        var stamped = $"[{_total.Elapsed.TotalSeconds,6:0.0}s] {line}";
        lock (_timeline)
        {
            _timeline.AppendLine(stamped);
        }
    }

    private static void Prepare()
    {
        Directory.CreateDirectory(RepoLayout.E2EDir);
        // Old packages of earlier runs only cost disk: the feed and the private cache are recreated every run.
        foreach (var dir in new[] { RepoLayout.FeedDir, Path.Combine(RepoLayout.PackagesDir, "moclojer.generators") })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        Directory.CreateDirectory(RepoLayout.FeedDir);
    }

    private bool Pack()
    {
        var result = DotnetCli.Run(
            RepoLayout.Root,
            [
                "pack", RepoLayout.GeneratorProject, "-c", "Release",
                "-o", RepoLayout.FeedDir,
                $"-p:Version={Version}",
                // Own bin/obj: never collide with a concurrent build of src/ by a developer or the other tests.
                "--artifacts-path", RepoLayout.PackBuildDir,
                "-tl:off", "-nologo", "-v:minimal", "-nodeReuse:false",
                "-p:UseSharedCompilation=true",
            ],
            timeout: TimeSpan.FromMinutes(10));
        Note($"dotnet pack: exit {result.ExitCode} in {result.Elapsed.TotalSeconds:0.0} s");
        if (result.Succeeded && File.Exists(NupkgPath))
        {
            return true;
        }

        PackFailure = $"Packing the product failed (exit {result.ExitCode}; expected {NupkgPath}).\n" +
                      $"{result.CommandLine}\n{result.Tail(60)}";
        return false;
    }

    private void WriteConsumers()
    {
        var sw = Stopwatch.StartNew();
        var consumers = new ConsumerSolution(RepoLayout.ConsumersDir, Version, RepoLayout.FeedDir);
        consumers.WriteRoot();

        // Skipped cases are not built: they would only cost time.
        foreach (var c in ConformanceCorpus.RuntimeCases.Where(c => c.SkipReason == null))
        {
            consumers.AddProject("cases", c.ProjectName, [c.MocksPath],
                warningsNotAsErrors: SupportedFeatures.WarningsAllowedInConformance);
        }

        foreach (var c in ConformanceCorpus.BadCases.Where(c => c.SkipReason == null))
        {
            consumers.AddProject("bad", c.ProjectName, [c.MocksPath], expectBuildFailure: true);
        }

        Scenarios.AddAll(consumers);
        foreach (var sample in SampleProjects.Find())
        {
            consumers.AddCopiedProject("samples", sample);
        }

        Consumers = consumers;
        Note($"wrote {consumers.Projects.Count} consumer projects under {consumers.Root} in {sw.Elapsed.TotalSeconds:0.0} s");
    }

    private void BuildConsumers()
    {
        var consumers = Consumers!;
        var good = consumers.Projects.Where(p => !p.ExpectBuildFailure).ToList();
        var bad = consumers.Projects.Where(p => p.ExpectBuildFailure).ToList();

        GoodBuild = consumers.Build("good", good, RepoLayout.PackagesDir);
        Note($"build of {good.Count} projects expected to build: exit {GoodBuild.ExitCode} in {GoodBuild.Elapsed.TotalSeconds:0.0} s; " +
             $"{good.Count(p => p.Built)} built, {good.Count(p => !p.Built)} failed" +
             (good.Any(p => !p.Built) ? ": " + string.Join(", ", good.Where(p => !p.Built).Select(p => p.Name)) : ""));

        if (bad.Count > 0)
        {
            BadBuild = consumers.Build("bad", bad, RepoLayout.PackagesDir);
            Note($"build of {bad.Count} projects expected to fail: exit {BadBuild.ExitCode} in {BadBuild.Elapsed.TotalSeconds:0.0} s; " +
                 $"{bad.Count(p => p.Errors.Any())} reported errors");
        }

        // Both logs stay on disk for a look after a failed run.
        File.WriteAllText(Path.Combine(consumers.Root, "build-good.log"), GoodBuild.Output);
        if (BadBuild != null)
        {
            File.WriteAllText(Path.Combine(consumers.Root, "build-bad.log"), BadBuild.Output);
        }
    }

    private void TryWriteTimings()
    {
        try
        {
            Directory.CreateDirectory(RepoLayout.E2EDir);
            File.WriteAllText(RepoLayout.TimingsFile, Timeline);
        }
        catch (IOException)
        {
            // Timings are informational only.
        }
    }
}

/// <summary>samples/*/ folders that contain a project file: each is built as is against the packed package.</summary>
public static class SampleProjects
{
    public static IReadOnlyList<string> Find() =>
        Directory.Exists(RepoLayout.SamplesDir)
            ? Directory.GetDirectories(RepoLayout.SamplesDir)
                .Where(d => Directory.GetFiles(d, "*.csproj").Length > 0)
                .OrderBy(d => d, StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>A sample that is a mock service: it has a mock file, and is started and asked for <c>GET /</c>.</summary>
    public static bool IsMockService(string sampleDir) =>
        Directory.GetFiles(sampleDir, "*.yml").Length > 0 || Directory.GetFiles(sampleDir, "*.yaml").Length > 0;

    /// <summary>A sample that is a test project: its tests are run against the packed package.</summary>
    public static bool IsTestProject(string sampleDir) =>
        File.ReadAllText(Directory.GetFiles(sampleDir, "*.csproj").OrderBy(f => f, StringComparer.Ordinal).First())
            .Contains("<IsTestProject>true</IsTestProject>", StringComparison.Ordinal);

    public static string ProjectName(string sampleDir) =>
        Path.GetFileNameWithoutExtension(Directory.GetFiles(sampleDir, "*.csproj").OrderBy(f => f, StringComparer.Ordinal).First());
}
