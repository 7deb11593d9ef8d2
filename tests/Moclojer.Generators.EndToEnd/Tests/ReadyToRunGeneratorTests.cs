using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Text.Json;
using Moclojer.Generators.EndToEnd.Infrastructure;

namespace Moclojer.Generators.EndToEnd.Tests;

/// <summary>
/// The package ships the generator twice: portable (analyzers/dotnet/cs) and precompiled for compilers on linux-x64
/// (build/readytorun/linux-x64), and its targets give the compiler the precompiled copy on such a host. Every consumer
/// build of these tests runs on this machine, so on a linux-x64 host they all exercise the precompiled copy.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReadyToRunGeneratorTests(PackageFixture fixture)
{
    private const string PortableFolder = "analyzers/dotnet/cs/";
    private const string ReadyToRunFolder = "build/readytorun/linux-x64/";

    // The PE machine crossgen2 writes for a Linux x64 image: AMD64 xor the Linux marker.
    private const Machine LinuxX64 = (Machine)(0x8664 ^ 0x7B79);

    public static TheoryData<string> Assemblies => new() { "Moclojer.Generators.dll", "YamlDotNet.dll" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void The_precompiled_copy_is_the_same_assembly_as_the_portable_one_with_linux_x64_native_code(string file)
    {
        fixture.RequireProject("ShopApi");
        using var package = ZipFile.OpenRead(fixture.NupkgPath);
        var portable = Read(package, PortableFolder + file);
        var precompiled = Read(package, ReadyToRunFolder + file);

        Assert.False(portable.ReadyToRun, $"{PortableFolder}{file} must be IL only, for every host");
        Assert.True(precompiled.ReadyToRun, $"{ReadyToRunFolder}{file} has no ReadyToRun code");
        Assert.Equal(LinuxX64, precompiled.Machine);
        // Same module version id: compiled from the very assembly the portable folder ships.
        Assert.Equal(portable.Mvid, precompiled.Mvid);
        Assert.Equal(portable.Identity, precompiled.Identity);
    }

    [Fact]
    public void A_consumer_on_a_linux_x64_sdk_compiles_with_the_precompiled_copy_and_can_opt_out()
    {
        var project = fixture.RequireBuilt("ShopApi");
        var byDefault = Analyzers(project);
        var optedOut = Analyzers(project, "-p:MoclojerReadyToRunGenerator=false");

        var expected = RuntimeInformation.RuntimeIdentifier == "linux-x64" ? ReadyToRunFolder : PortableFolder;
        AssertGenerator(byDefault, expected);
        AssertGenerator(optedOut, PortableFolder);
        // Nothing else in the compiler's analyzer list changes.
        Assert.Equal(optedOut.Count, byDefault.Count);
        Assert.Equal(
            optedOut.Where(a => !IsOurs(a)).Order(StringComparer.Ordinal),
            byDefault.Where(a => !IsOurs(a)).Order(StringComparer.Ordinal));
    }

    private static void AssertGenerator(IReadOnlyList<string> analyzers, string folder)
    {
        var ours = analyzers.Where(IsOurs).Select(a => a.Replace('\\', '/')).ToList();
        Assert.Equal(2, ours.Count);
        Assert.All(ours, a => Assert.Contains("/moclojer.generators/", a, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(ours, a => a.EndsWith(folder + "Moclojer.Generators.dll", StringComparison.Ordinal));
        Assert.Contains(ours, a => a.EndsWith(folder + "YamlDotNet.dll", StringComparison.Ordinal));
    }

    private static bool IsOurs(string analyzer) =>
        analyzer.EndsWith("Moclojer.Generators.dll", StringComparison.Ordinal) || analyzer.EndsWith("YamlDotNet.dll", StringComparison.Ordinal);

    /// <summary>The Analyzer items the compiler gets, after the package's targets ran.</summary>
    private List<string> Analyzers(ConsumerProject project, params string[] extra)
    {
        var result = DotnetCli.Run(project.Dir,
            ["msbuild", project.ProjectPath, "-t:ResolveLockFileAnalyzers", "-getItem:Analyzer", "-p:Configuration=Release",
             $"-p:MoclojerPackageVersion={fixture.Version}", "-nologo", .. extra],
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = RepoLayout.PackagesDir },
            TimeSpan.FromMinutes(3));
        Assert.True(result.Succeeded, $"{result.CommandLine} failed:\n{result.Tail(40)}");
        var json = result.Output[result.Output.IndexOf('{', StringComparison.Ordinal)..];
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("Items").GetProperty("Analyzer").EnumerateArray()
            .Select(i => i.GetProperty("Identity").GetString()!).ToList();
    }

    private sealed record Image(bool ReadyToRun, Machine Machine, Guid Mvid, string Identity);

    private static Image Read(ZipArchive package, string path)
    {
        var entry = package.GetEntry(path);
        Assert.True(entry != null, $"the package has no {path}");
        using var copy = new MemoryStream();
        using (var stream = entry!.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        using var pe = new PEReader(copy);
        var metadata = pe.GetMetadataReader();
        return new Image(
            pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0,
            pe.PEHeaders.CoffHeader.Machine,
            metadata.GetGuid(metadata.GetModuleDefinition().Mvid),
            metadata.GetAssemblyDefinition().GetAssemblyName().FullName);
    }
}
