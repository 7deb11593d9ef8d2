using System.Text.RegularExpressions;
using Moclojer.Generators.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace Moclojer.Generators.EndToEnd.Tests;

/// <summary>
/// The conformance corpus (tests/conformance, a copy of shared/conformance): one theory row per case folder, named by it. Rows of cases that
/// need a feature not yet in SupportedFeatures come from the MemberData sources with Skip set, so they are
/// reported as skipped (with the feature in the reason), never as passed.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class ConformanceTests(PackageFixture fixture, ITestOutputHelper output)
{
    /// <summary>Stands in for the case list when the corpus is missing, so the run fails instead of passing empty.</summary>
    public const string CorpusMissingRow = "(conformance corpus missing)";

    private const string SkipWebhook = "needs feature 'webhook', not in SupportedFeatures.RuntimeFeatures yet";
    private const string SkipRateLimit = "needs feature 'rate-limit', not in SupportedFeatures.RuntimeFeatures yet";
    private const string SkipExternalBody = "needs feature 'external-body', not in SupportedFeatures.RuntimeFeatures yet";
    private const string SkipWebSocket = "needs feature 'websocket', not in SupportedFeatures.RuntimeFeatures yet";
    private const string SkipDiagnostic = "its diagnostic kind (second argument) is not in SupportedFeatures.DiagnosticCodes yet";

    public static TheoryData<string> RuntimeCases => RuntimeRows(feature: null);

    public static TheoryData<string> RuntimeCasesNeedingWebhook => RuntimeRows(SupportedFeatures.Webhook);

    public static TheoryData<string> RuntimeCasesNeedingRateLimit => RuntimeRows(SupportedFeatures.RateLimit);

    public static TheoryData<string> RuntimeCasesNeedingExternalBody => RuntimeRows(SupportedFeatures.ExternalBody);

    public static TheoryData<string> RuntimeCasesNeedingWebSocket => RuntimeRows(SupportedFeatures.WebSocket);

    public static TheoryData<string, string> BadCases => BadRows(supported: true);

    public static TheoryData<string, string> BadCasesWithUnsupportedKind => BadRows(supported: false);

    [Fact]
    public void Corpus_is_present()
    {
        Assert.True(ConformanceCorpus.Exists, ConformanceCorpus.MissingMessage);
        Assert.NotEmpty(ConformanceCorpus.RuntimeCases);
        Assert.NotEmpty(ConformanceCorpus.BadCases);
    }

    [Theory]
    [MemberData(nameof(RuntimeCases))]
    [MemberData(nameof(RuntimeCasesNeedingWebhook), Skip = SkipWebhook)]
    [MemberData(nameof(RuntimeCasesNeedingRateLimit), Skip = SkipRateLimit)]
    [MemberData(nameof(RuntimeCasesNeedingExternalBody), Skip = SkipExternalBody)]
    [MemberData(nameof(RuntimeCasesNeedingWebSocket), Skip = SkipWebSocket)]
    public async Task Runtime(string caseName)
    {
        Assert.True(caseName != CorpusMissingRow && ConformanceCorpus.Exists, ConformanceCorpus.MissingMessage);
        var @case = ConformanceCorpus.Get(CaseKind.Runtime, caseName);
        var definition = @case.LoadDefinition();
        output.WriteLine($"{@case.Name}: {definition.Description} [{string.Join(", ", definition.Spec)}]");

        var project = fixture.RequireBuilt(@case.ProjectName);
        LogWarnings(project);

        var receiver = fixture.Receiver;
        if (receiver?.StartError is { } receiverError)
        {
            Assert.False(@case.Features.Contains(SupportedFeatures.Webhook), receiverError);
            receiver = null;
        }

        // A fresh process per case (rate-limit counters are state), cwd = the case folder (external bodies, X-3).
        using var service = await ServiceProcess.StartAsync(project.DllPath, @case.Dir);
        var failures = await new StepRunner(service, receiver, output.WriteLine).RunAsync(definition);
        service.Dispose();
        receiver?.Drain(); // nothing from this case may leak into the next

        if (failures.Count > 0)
        {
            Assert.Fail($"{failures.Count} of {definition.Steps.Count} step(s) failed in {@case.Name} " +
                        $"({@case.MocksPath}):\n" + string.Join("\n", failures) +
                        $"\nservice output (tail):\n{ServiceProcess.Tail(service.Log, 2000)}");
        }
    }

    [Theory]
    [MemberData(nameof(BadCases))]
    [MemberData(nameof(BadCasesWithUnsupportedKind), Skip = SkipDiagnostic)]
    public void Bad(string caseName, string diagnosticKind)
    {
        Assert.True(caseName != CorpusMissingRow && ConformanceCorpus.Exists, ConformanceCorpus.MissingMessage);
        var @case = ConformanceCorpus.Get(CaseKind.Bad, caseName);
        var expect = @case.BadExpectation;
        output.WriteLine($"{@case.Name}: {expect.Description} (kind {diagnosticKind}, line {expect.Line})");

        var project = fixture.RequireProject(@case.ProjectName);
        Assert.True(project.Build != null, project.BuildFailure);
        foreach (var d in project.Diagnostics)
        {
            output.WriteLine("  " + d);
        }

        Assert.True(project.Build!.ExitCode != 0, $"the build of the bad cases succeeded, but {@case.Name} must fail to build");
        var errors = project.Errors.ToList();
        Assert.True(errors.Count > 0,
            $"{@case.Name} must fail to build with an error at {@case.MocksPath}({expect.Line},...), but no error was reported for it." +
            (File.Exists(project.DllPath) ? " It built." : "") + Warnings(project));

        // README 2.1: an error located in this mocks.yml at the expected line, with an ID of prefix + number.
        var atLine = errors.Where(e =>
                IsSameFile(e.Origin, @case.MocksPath) && e.Line == expect.Line && DiagnosticId().IsMatch(e.Code))
            .ToList();
        Assert.True(atLine.Count > 0,
            $"{@case.Name}: expected an error in mocks.yml at line {expect.Line} ({diagnosticKind}); got:\n  " +
            string.Join("\n  ", errors));
    }

    private static TheoryData<string> RuntimeRows(string? feature)
    {
        var rows = new TheoryData<string>();
        if (!ConformanceCorpus.Exists)
        {
            if (feature == null)
            {
                rows.Add(CorpusMissingRow);
            }

            return rows;
        }

        foreach (var c in ConformanceCorpus.RuntimeCases.Where(c => c.FirstUnsupportedFeature == feature))
        {
            rows.Add(c.Name);
        }

        return rows;
    }

    private static TheoryData<string, string> BadRows(bool supported)
    {
        var rows = new TheoryData<string, string>();
        if (!ConformanceCorpus.Exists)
        {
            if (supported)
            {
                rows.Add(CorpusMissingRow, "");
            }

            return rows;
        }

        foreach (var c in ConformanceCorpus.BadCases.Where(c => (c.SkipReason == null) == supported))
        {
            rows.Add(c.Name, c.BadExpectation.DiagnosticKind);
        }

        return rows;
    }

    private void LogWarnings(ConsumerProject project)
    {
        foreach (var d in project.Diagnostics)
        {
            output.WriteLine("  build: " + d);
        }
    }

    private static string Warnings(ConsumerProject project)
    {
        var warnings = project.Diagnostics.Where(d => !d.IsError).ToList();
        return warnings.Count == 0 ? "" : " Warnings:\n  " + string.Join("\n  ", warnings);
    }

    private static bool IsSameFile(string origin, string path)
    {
        try
        {
            return Path.GetFullPath(origin) == Path.GetFullPath(path);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[A-Za-z]+[0-9]+$")]
    private static partial Regex DiagnosticId();
}
