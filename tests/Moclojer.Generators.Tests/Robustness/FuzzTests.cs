using System.Diagnostics;
using System.Text;
using Moclojer.Generators.Model;
using Moclojer.Generators.Parsing;
using Moclojer.Generators.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Moclojer.Generators.Tests.Robustness;

/// <summary>
/// The generator never throws: mutated mock files (from the samples and the conformance corpus) go through the
/// parser, and every failure must be a diagnostic located inside the file, in bounded time.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 10_000;

    private static List<string> Seeds()
    {
        var files = Directory.GetFiles(Path.Combine(Corpus.RepoRoot, "samples"), "*.yml", SearchOption.AllDirectories)
            .Concat(Corpus.CaseDirs("cases").Concat(Corpus.CaseDirs("bad")).Select(d => Path.Combine(d, "mocks.yml")))
            .Where(File.Exists);
        return files.Select(File.ReadAllText).ToList();
    }

    [Fact]
    public void Ten_thousand_mutated_files_never_crash_the_parser()
    {
        var seeds = Seeds();
        var random = new Random(20261127);
        var watch = Stopwatch.StartNew();
        var slowest = TimeSpan.Zero;
        var diagnostics = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var text = Mutate(seeds[random.Next(seeds.Count)], random);
            var started = watch.Elapsed;
            MockFileResult result;
            try
            {
                result = MockFileParser.Parse("/project/mocks.yml", "mocks.yml", text);
                // The emitters run on whatever the parser accepted.
                if (!result.Spec.HasErrors)
                {
                    Moclojer.Generators.Emit.HandlersEmitter.Emit(result.Spec);
                    Moclojer.Generators.Emit.ServiceEmitter.Emit(Moclojer.Generators.Combining.ServiceSpecBuilder.Build([result.Spec], true));
                }
            }
            catch (Exception ex)
            {
                Assert.Fail($"input {i} threw {ex.GetType().Name}: {ex.Message}\n--- input ---\n{text}");
                return;
            }
            var elapsed = watch.Elapsed - started;
            slowest = elapsed > slowest ? elapsed : slowest;
            Assert.True(elapsed < TimeSpan.FromSeconds(2), $"input {i} took {elapsed.TotalMilliseconds:F0} ms\n--- input ---\n{text}");
            Assert.DoesNotContain(result.Diagnostics, d => d.Id == "MOCK999");
            foreach (var diagnostic in result.Diagnostics)
            {
                diagnostics++;
                var location = diagnostic.Location;
                Assert.True(location.Start >= 0 && location.Start + location.Length <= text.Length,
                    $"input {i}: {diagnostic.Id} span {location.Start}+{location.Length} outside a file of {text.Length} chars");
                Assert.True(location.StartLine >= 0 && location.EndLine >= location.StartLine, $"input {i}: {diagnostic.Id} bad line span");
            }
        }
        output.WriteLine($"{Inputs} inputs, {diagnostics} diagnostics, {watch.Elapsed.TotalSeconds:F1} s in all, slowest {slowest.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public void Alias_expansion_and_deep_nesting_are_bounded()
    {
        var bomb = new StringBuilder("- endpoint:\n    path: /a\n    response:\n      body:\n        a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (var level = 1; level < 9; level++)
        {
            bomb.Append($"        l{level}: &l{level} [").Append(string.Join(", ", Enumerable.Repeat(level == 1 ? "*a" : $"*l{level - 1}", 10))).Append("]\n");
        }
        var deep = "- endpoint:\n    path: /a\n    response:\n      body: " + new string('[', 5000) + new string(']', 5000) + "\n";

        foreach (var text in new[] { bomb.ToString(), deep })
        {
            var watch = Stopwatch.StartNew();
            var result = MockFileParser.Parse("/project/mocks.yml", "mocks.yml", text);
            // About 1 s on an idle machine; an unbounded expansion (10^9 nodes) or a recursive walk would take minutes
            // or overflow the stack. The bound is wide because the test suite shares the machine with parallel tests.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
            Assert.Contains(result.Diagnostics, d => d.Id is "MOCK030" or "MOCK001");
        }
    }

    private static string Mutate(string seed, Random random)
    {
        var text = seed;
        var rounds = random.Next(1, 4);
        for (var round = 0; round < rounds; round++)
        {
            var lines = text.Split('\n').ToList();
            switch (random.Next(7))
            {
                case 0: // truncation
                    text = text.Substring(0, random.Next(text.Length + 1));
                    break;
                case 1: // byte flips
                    var chars = text.ToCharArray();
                    for (var k = 0; k < 1 + random.Next(5) && chars.Length > 0; k++)
                    {
                        chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
                    }
                    text = new string(chars);
                    break;
                case 2: // deleted line
                    if (lines.Count > 1)
                    {
                        lines.RemoveAt(random.Next(lines.Count));
                    }
                    text = string.Join('\n', lines);
                    break;
                case 3: // duplicated line
                    var at = random.Next(lines.Count);
                    lines.Insert(at, lines[at]);
                    text = string.Join('\n', lines);
                    break;
                case 4: // swapped indentation
                    var line = random.Next(lines.Count);
                    lines[line] = random.Next(2) == 0 ? "  " + lines[line] : lines[line].TrimStart();
                    text = string.Join('\n', lines);
                    break;
                case 5: // random unicode
                    var insertAt = random.Next(text.Length + 1);
                    var unicode = new string(Enumerable.Range(0, 1 + random.Next(4)).Select(_ => (char)random.Next(0x80, 0xD7FF)).ToArray());
                    text = text.Insert(insertAt, unicode);
                    break;
                default: // YAML punctuation where it hurts
                    var punctuation = new[] { ":", "- ", "{", "[", "&a", "*a", "|", ">", "\"", "'", "{{", "}}", "\t", "#" };
                    text = text.Insert(random.Next(text.Length + 1), punctuation[random.Next(punctuation.Length)]);
                    break;
            }
        }
        return text;
    }
}
