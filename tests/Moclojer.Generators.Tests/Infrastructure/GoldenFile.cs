using System.Text.RegularExpressions;

namespace Moclojer.Generators.Tests.Infrastructure;

/// <summary>
/// Compares text with a checked-in golden file (LF line endings, versions scrubbed). Set
/// MOCLOJER_UPDATE_GOLDEN=1 to rewrite the files instead, then review the diff.
/// </summary>
public static partial class GoldenFile
{
    public static void AssertMatches(string name, string actual)
    {
        actual = Scrub(actual);
        var path = Path.Combine(Corpus.RepoRoot, "tests", "Moclojer.Generators.Tests", "Golden", name);
        if (Environment.GetEnvironmentVariable("MOCLOJER_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"Golden file {name} is missing; run the tests with MOCLOJER_UPDATE_GOLDEN=1 to create it.");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected != actual)
        {
            var expectedLines = expected.Split('\n');
            var actualLines = actual.Split('\n');
            var line = 0;
            while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
            {
                line++;
            }
            Assert.Fail($"{name} differs from the golden file at line {line + 1}:\n  expected: {expectedLines.ElementAtOrDefault(line)}\n  actual:   {actualLines.ElementAtOrDefault(line)}\n(set MOCLOJER_UPDATE_GOLDEN=1 to accept the new output)");
        }
    }

    private static string Scrub(string text) =>
        VersionPattern().Replace(text.Replace("\r\n", "\n"), "\"Moclojer.Generators\", \"<version>\"");

    [GeneratedRegex("\"Moclojer\\.Generators\", \"[0-9.]+\"")]
    private static partial Regex VersionPattern();
}
