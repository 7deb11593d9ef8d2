using System.Security;
using System.Text;

namespace Moclojer.Generators.EndToEnd.Infrastructure;

/// <summary>A consumer project of the package, written (or copied) under RepoLayout.ConsumersDir.</summary>
public sealed class ConsumerProject
{
    public ConsumerProject(string name, string dir, bool expectBuildFailure)
    {
        Name = name;
        Dir = dir;
        ExpectBuildFailure = expectBuildFailure;
    }

    public string Name { get; }

    public string Dir { get; }

    /// <summary>Bad conformance cases: built in their own solution, expected to fail.</summary>
    public bool ExpectBuildFailure { get; }

    public string ProjectPath => Path.Combine(Dir, Name + ".csproj");

    public string OutputDir => Path.Combine(Dir, "bin", "Release", "net10.0");

    /// <summary>The built app: Name.dll, or (for a copied project with its own AssemblyName) the one app there.</summary>
    public string DllPath
    {
        get
        {
            var byName = Path.Combine(OutputDir, Name + ".dll");
            if (File.Exists(byName) || !Directory.Exists(OutputDir))
            {
                return byName;
            }

            var apps = Directory.GetFiles(OutputDir, "*.runtimeconfig.json");
            return apps.Length == 1
                ? Path.Combine(OutputDir, Path.GetFileName(apps[0]).Replace(".runtimeconfig.json", ".dll", StringComparison.Ordinal))
                : byName;
        }
    }

    /// <summary>Set after the build: the errors and warnings MSBuild attributed to this project.</summary>
    public IReadOnlyList<MsBuildDiagnostic> Diagnostics { get; internal set; } = [];

    /// <summary>Set after the build: the solution build this project was part of.</summary>
    public CommandResult? Build { get; internal set; }

    public IEnumerable<MsBuildDiagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public bool Built => Build != null && !Errors.Any() && File.Exists(DllPath);

    /// <summary>Why the project is not usable, for a failure message; null when it built.</summary>
    public string? BuildFailure
    {
        get
        {
            if (Build == null)
            {
                return $"{Name} was never built (the package was not packed, or the fixture failed earlier).";
            }

            if (Built)
            {
                return null;
            }

            var errors = Errors.ToList();
            var sb = new StringBuilder($"{Name} did not build (solution build exit code {Build.ExitCode}).");
            if (errors.Count > 0)
            {
                sb.Append(" Errors:");
                foreach (var e in errors.Take(30))
                {
                    sb.Append("\n  ").Append(e);
                }
            }
            else
            {
                sb.Append($" No error was attributed to it and {DllPath} is missing. End of the build output:\n")
                  .Append(Build.Tail());
            }

            return sb.ToString();
        }
    }
}

/// <summary>
/// One folder of consumer projects that reference the packed package exactly as a user's project would, and
/// the few solution builds that compile them all. Building dozens of projects in one `dotnet build` (one restore
/// graph, one MSBuild, parallel nodes) is far cheaper than a build per project; MSBuild keeps building the other
/// projects when one fails, and prefixes each diagnostic with its project, so results are attributed per project.
/// The projects expected to fail (bad cases) get their own solution anyway, so their failures can never get in the
/// way of the good ones (e.g. a generator crash that kills a build node).
/// </summary>
public sealed class ConsumerSolution
{
    private readonly List<ConsumerProject> _projects = [];

    public ConsumerSolution(string root, string packageVersion, string feedDir)
    {
        Root = root;
        PackageVersion = packageVersion;
        FeedDir = feedDir;
    }

    public string Root { get; }

    public string PackageVersion { get; }

    public string FeedDir { get; }

    public IReadOnlyList<ConsumerProject> Projects => _projects;

    public ConsumerProject? Find(string name) => _projects.SingleOrDefault(p => p.Name == name);

    /// <summary>
    /// Writes the root files that make this folder behave like a user's machine: empty Directory.Build.* so the
    /// repository's own props (warnings as errors, versions) do not leak in, and a NuGet.Config with the local
    /// feed (only for our package) plus nuget.org.
    /// </summary>
    public void WriteRoot()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        Directory.CreateDirectory(Root);
        const string empty = "<Project>\n  <!-- Stops MSBuild from importing the repository's file of the same name. -->\n</Project>\n";
        File.WriteAllText(Path.Combine(Root, "Directory.Build.props"), empty);
        File.WriteAllText(Path.Combine(Root, "Directory.Build.targets"), empty);
        File.WriteAllText(Path.Combine(Root, "Directory.Packages.props"), empty);
        File.WriteAllText(Path.Combine(Root, "NuGet.Config"), NuGetConfig(FeedDir));
    }

    public static string NuGetConfig(string feedDir) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="e2e-local" value="{SecurityElement.Escape(feedDir)}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
          </packageSources>
          <packageSourceMapping>
            <!-- Our package only from the local feed, so a same-named package elsewhere can never be picked. -->
            <packageSource key="e2e-local">
              <package pattern="Moclojer.Generators" />
            </packageSource>
            <packageSource key="nuget.org">
              <package pattern="*" />
            </packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    /// <summary>
    /// Adds a generated consumer project: the documented project shape (Sdk.Web, net10.0, the package, the mock
    /// files as AdditionalFiles) plus `files` (relative path → content), e.g. mock files or a Program.cs.
    /// Good projects also get Nullable and TreatWarningsAsErrors: generated code must compile warning-free.
    /// </summary>
    public ConsumerProject AddProject(
        string group,
        string name,
        IEnumerable<string> mockFiles,
        IReadOnlyDictionary<string, string>? files = null,
        bool expectBuildFailure = false,
        IReadOnlyList<string>? warningsNotAsErrors = null)
    {
        var dir = Path.Combine(Root, group, name);
        Directory.CreateDirectory(dir);
        foreach (var (relative, content) in files ?? new Dictionary<string, string>())
        {
            var path = Path.Combine(dir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        var mocks = mockFiles
            .Select(f => Path.IsPathRooted(f) ? f : Path.Combine(dir, f))
            .Select(f => $"    <AdditionalFiles Include=\"{SecurityElement.Escape(f)}\" />");

        var strict = expectBuildFailure
            ? ""
            : """

                  <Nullable>enable</Nullable>
                  <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              """;
        if (!expectBuildFailure && warningsNotAsErrors is { Count: > 0 })
        {
            strict += $"\n    <WarningsNotAsErrors>$(WarningsNotAsErrors);{string.Join(';', warningsNotAsErrors)}</WarningsNotAsErrors>";
        }

        var csproj = $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>{strict}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Moclojer.Generators" Version="{PackageVersion}" />
            {string.Join("\n", mocks)}
              </ItemGroup>
            </Project>

            """;
        var project = new ConsumerProject(name, dir, expectBuildFailure);
        File.WriteAllText(project.ProjectPath, csproj);
        _projects.Add(project);
        return project;
    }

    /// <summary>
    /// Copies an existing project folder (a sample) as is, minus bin/obj. It then restores from this folder's
    /// NuGet.Config; the build passes -p:MoclojerPackageVersion, which makes a sample use the packed package.
    /// </summary>
    public ConsumerProject AddCopiedProject(string group, string sourceDir)
    {
        var csproj = Directory.GetFiles(sourceDir, "*.csproj").OrderBy(f => f, StringComparer.Ordinal).First();
        var name = Path.GetFileNameWithoutExtension(csproj);
        var dir = Path.Combine(Root, group, Path.GetFileName(sourceDir));
        CopyTree(sourceDir, dir);
        var project = new ConsumerProject(name, dir, expectBuildFailure: false);
        _projects.Add(project);
        return project;
    }

    /// <summary>
    /// Builds the given projects in one `dotnet build` of a generated .slnx, then attributes every diagnostic
    /// to its project. Returns the command result (also stored on each project).
    /// </summary>
    public CommandResult Build(string solutionName, IReadOnlyList<ConsumerProject> projects, string packagesDir)
    {
        var slnx = Path.Combine(Root, solutionName + ".slnx");
        var sb = new StringBuilder("<Solution>\n");
        foreach (var p in projects)
        {
            sb.Append("  <Project Path=\"")
              .Append(SecurityElement.Escape(Path.GetRelativePath(Root, p.ProjectPath).Replace('\\', '/')))
              .Append("\" />\n");
        }

        sb.Append("</Solution>\n");
        File.WriteAllText(slnx, sb.ToString());

        var result = DotnetCli.Run(
            Root,
            [
                "build", slnx, "-c", "Release",
                "-tl:off", "-nologo", "-v:minimal", "-nodeReuse:false",
                // The compiler server turns ~5 s of cold csc start per project into <1 s; some machines disable it
                // through the environment. The fixture shuts it down when the run ends.
                "-p:UseSharedCompilation=true",
                // Samples pick the package over their in-repo ProjectReference when this is set.
                $"-p:MoclojerPackageVersion={PackageVersion}",
            ],
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packagesDir },
            TimeSpan.FromMinutes(20));

        var diagnostics = MsBuildDiagnostic.ParseAll(result.Output);
        foreach (var p in projects)
        {
            var path = Path.GetFullPath(p.ProjectPath);
            p.Build = result;
            p.Diagnostics = diagnostics.Where(d => d.Project == path).ToList();
        }

        return result;
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
            var n = Path.GetFileName(sub);
            if (n is "bin" or "obj")
            {
                continue;
            }

            CopyTree(sub, Path.Combine(to, n));
        }
    }
}
