using System.Text.RegularExpressions;
using Moclojer.Generators.EndToEnd.Infrastructure;
using Xunit.Abstractions;

namespace Moclojer.Generators.EndToEnd.Tests;

/// <summary>
/// The dotnet new templates as a user runs them (the README's commands): install the packed Moclojer.Templates into
/// a private template hive (DOTNET_CLI_HOME under artifacts/e2e, so the machine's own templates are untouched),
/// create a mock and its tests side by side, and run the created tests against the packed Moclojer.Generators.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class TemplateTests(PackageFixture fixture, ITestOutputHelper output)
{
    public static string TemplatesProject => Path.Combine(RepoLayout.Root, "templates", "Moclojer.Templates", "Moclojer.Templates.csproj");

    [Fact]
    public void Mock_and_tests_templates_create_projects_whose_tests_pass()
    {
        fixture.RequireProject("ShopApi"); // fails with the fixture's reason when the package was not packed

        var templateBuild = Path.Combine(RepoLayout.E2EDir, "templates-build");
        var pack = DotnetCli.Run(RepoLayout.Root,
            ["pack", TemplatesProject, "-c", "Release", "-o", RepoLayout.FeedDir, $"-p:Version={fixture.Version}",
             "--artifacts-path", templateBuild, "-tl:off", "-nologo", "-v:minimal", "-nodeReuse:false"],
            timeout: TimeSpan.FromMinutes(5));
        var nupkg = Path.Combine(RepoLayout.FeedDir, $"Moclojer.Templates.{fixture.Version}.nupkg");
        Assert.True(pack.Succeeded && File.Exists(nupkg), $"packing the templates failed:\n{pack.Tail()}");

        // Beside the other consumers: their NuGet.Config serves Moclojer.Generators from the local feed.
        var work = Path.Combine(fixture.Consumers!.Root, "templates");
        var cliHome = Path.Combine(RepoLayout.E2EDir, "cli-home");
        foreach (var dir in new[] { work, cliHome })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            Directory.CreateDirectory(dir);
        }

        var env = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_HOME"] = cliHome,
            ["NUGET_PACKAGES"] = RepoLayout.PackagesDir,
        };
        CommandResult Run(string dir, params string[] args)
        {
            var result = DotnetCli.Run(dir, args, env, TimeSpan.FromMinutes(10));
            output.WriteLine($"$ {result.CommandLine}  (exit {result.ExitCode}, {result.Elapsed.TotalSeconds:0.0} s)");
            Assert.True(result.Succeeded, $"{result.CommandLine} failed (exit {result.ExitCode}):\n{result.Tail(60)}");
            return result;
        }

        var install = Run(work, "new", "install", nupkg);
        Assert.Contains("moclojer-mock", install.Output, StringComparison.Ordinal);
        Assert.Contains("moclojer-tests", install.Output, StringComparison.Ordinal);
        Run(work, "new", "moclojer-mock", "-n", "PayMock");
        Run(work, "new", "moclojer-tests", "-n", "PayMock.Tests");

        var mockProject = File.ReadAllText(Path.Combine(work, "PayMock", "PayMock.csproj"));
        Assert.Contains($"""<PackageReference Include="Moclojer.Generators" Version="{fixture.Version}" />""", mockProject, StringComparison.Ordinal);
        Assert.StartsWith("# yaml-language-server: $schema=", File.ReadAllText(Path.Combine(work, "PayMock", "mocks.yml")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(work, "PayMock", "appsettings.json")));
        var testProject = File.ReadAllText(Path.Combine(work, "PayMock.Tests", "PayMock.Tests.csproj"));
        Assert.Contains("""<ProjectReference Include="../PayMock/PayMock.csproj" />""", testProject, StringComparison.Ordinal);

        var test = Run(Path.Combine(work, "PayMock.Tests"), "test");
        var summary = PassedLine().Match(test.Output);
        Assert.True(summary.Success, $"no test summary in:\n{test.Tail()}");
        Assert.Equal("0", summary.Groups["failed"].Value);
        Assert.Equal("3", summary.Groups["passed"].Value);
    }

    [GeneratedRegex(@"Failed:\s+(?<failed>\d+), Passed:\s+(?<passed>\d+)")]
    private static partial Regex PassedLine();
}
