using System.Security.Cryptography;
using Moclojer.Generators.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Moclojer.Generators.Tests.Conformance;

/// <summary>
/// The repository keeps its own copy of the public conformance corpus (tests/conformance), so a fresh clone
/// passes on its own. Where the published corpus is present too (CI puts shared/ beside the clone), the two trees
/// must be identical file by file, so a change to either one is noticed.
/// </summary>
public class CorpusCopyTests(ITestOutputHelper output)
{
    [Fact]
    public void The_repository_keeps_a_copy_of_the_corpus()
    {
        Assert.True(Directory.Exists(Path.Combine(Corpus.InRepoConformanceDir, "cases")), Corpus.InRepoConformanceDir + "/cases is missing");
        Assert.True(Directory.Exists(Path.Combine(Corpus.InRepoConformanceDir, "bad")), Corpus.InRepoConformanceDir + "/bad is missing");
    }

    [Fact]
    public void The_copy_in_the_repository_is_identical_to_the_published_corpus()
    {
        var shared = Corpus.SharedConformanceDir;
        if (!Directory.Exists(shared))
        {
            output.WriteLine($"Not checked: no published corpus at {shared} (set {Corpus.SharedConformanceDirVariable} to check against one).");
            return;
        }
        output.WriteLine($"Comparing {Corpus.InRepoConformanceDir} with {shared}.");

        var inRepo = Files(Corpus.InRepoConformanceDir);
        var published = Files(shared);
        var onlyInRepo = inRepo.Keys.Except(published.Keys, StringComparer.Ordinal).ToList();
        var onlyPublished = published.Keys.Except(inRepo.Keys, StringComparer.Ordinal).ToList();
        var different = inRepo.Keys.Intersect(published.Keys, StringComparer.Ordinal)
            .Where(k => !inRepo[k].AsSpan().SequenceEqual(published[k])).ToList();

        var problems = onlyInRepo.Select(f => "only in tests/conformance: " + f)
            .Concat(onlyPublished.Select(f => "only in " + shared + ": " + f))
            .Concat(different.Select(f => "different content: " + f))
            .ToList();
        Assert.True(problems.Count == 0,
            "tests/conformance differs from the published corpus; copy it again (cp -a <shared>/conformance/. tests/conformance/) "
            + "or send the change upstream:\n" + string.Join("\n", problems));
        output.WriteLine($"{inRepo.Count} files, identical.");
    }

    /// <summary>Every file under <paramref name="root"/>, by '/'-separated relative path, with a hash of its bytes.</summary>
    private static Dictionary<string, byte[]> Files(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), f => SHA256.HashData(File.ReadAllBytes(f)), StringComparer.Ordinal);
}
