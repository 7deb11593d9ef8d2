using Microsoft.CodeAnalysis;
using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>
/// Generated code is deterministic and portable: the same project built in two folders (or on two machines) gives
/// byte-identical sources, and nothing of the build machine's folders is in them.
/// </summary>
public class PortableOutputTests
{
    /// <summary>A project with mock files in its folder and in a subfolder, run-time and build-time external bodies.</summary>
    private static AdditionalText[] Project(string projectDir)
    {
        string At(string relative) => projectDir + (projectDir.Contains('\\') ? relative.Replace('/', '\\') : relative);
        return
        [
            new InMemoryAdditionalText(At("mocks.yml"),
                "- endpoint:\n    path: /users/:id\n    response:\n      external-body:\n        provider: json\n        path: data/user.json\n"
                + "- endpoint:\n    path: /files/:name\n    response:\n      external-body:\n        provider: json\n        path: data/{{path-params.name}}.json\n"
                + "- endpoint:\n    path: /broken\n    response:\n      external-body:\n        provider: json\n        path: data/broken.json\n"),
            new InMemoryAdditionalText(At("data/user.json"), """{"id": "{{path-params.id}}"}"""),
            new InMemoryAdditionalText(At("data/broken.json"), """{"id": "{{request.id}}"}"""),
            new InMemoryAdditionalText(At("mocks/orders/orders.yml"),
                "- endpoint:\n    path: /orders/:id\n    response:\n      external-body:\n        provider: json\n        path: ./data/{{path-params.id}}.json\n"
                + "- endpoint:\n    path: /orders\n    response:\n      external-body:\n        provider: json\n        path: ../shared/orders.json\n"),
            new InMemoryAdditionalText(At("mocks/shared/orders.json"), """[{"id": 1}]"""),
        ];
    }

    private static readonly string[] Folders = ["/home/alice/src/shop/", "/tmp/agent-7/build/shop/", @"C:\Users\bob\source\repos\shop\"];

    [Fact]
    public void The_same_project_in_different_folders_generates_byte_identical_sources()
    {
        var runs = Folders.Select(dir => GeneratorHarness.Run(Project(dir), globalOptions: new() { ["build_property.ProjectDir"] = dir })).ToList();
        foreach (var run in runs)
        {
            Assert.Empty(run.GeneratorDiagnostics);
        }

        var first = runs[0].Sources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToList();
        Assert.Equal(4, first.Count); // two mock files, the service and the test host
        for (var i = 1; i < runs.Count; i++)
        {
            var other = runs[i].Sources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToList();
            Assert.Equal(first.Select(s => s.HintName), other.Select(s => s.HintName));
            for (var k = 0; k < first.Count; k++)
            {
                Assert.True(System.Text.Encoding.UTF8.GetBytes(first[k].Text).AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(other[k].Text)),
                    $"{first[k].HintName} differs between {Folders[0]} and {Folders[i]}");
            }
        }
        foreach (var (hintName, text) in runs.SelectMany(r => r.Sources))
        {
            foreach (var word in new[] { "alice", "agent-7", "bob", "/home/", "/tmp/", @"C:\" })
            {
                Assert.DoesNotContain(word, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_run_time_external_body_is_looked_up_relative_to_the_mock_folder_in_the_project()
    {
        var run = GeneratorHarness.Run(Project(GeneratorHarness.ProjectDir));
        var orders = Assert.Single(run.Sources, s => s.Text.Contains("/orders/", StringComparison.Ordinal) && s.HintName is not ("MoclojerService.g.cs" or "MockServer.g.cs")).Text;
        Assert.Contains("\"mocks/orders\"", orders, StringComparison.Ordinal);
        var root = Assert.Single(run.Sources, s => s.Text.Contains("/files/", StringComparison.Ordinal) && s.HintName is not ("MoclojerService.g.cs" or "MockServer.g.cs")).Text;
        Assert.Contains("externalPathOk ? externalPath : null, \"\",", root, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mock_file_outside_the_project_folder_looks_its_files_up_from_the_output_root()
    {
        var run = GeneratorHarness.Run([new InMemoryAdditionalText("/elsewhere/mocks/mocks.yml",
            "- endpoint:\n    path: /files/:name\n    response:\n      external-body:\n        provider: json\n        path: data/{{path-params.name}}.json\n")]);
        var text = Assert.Single(run.Sources, s => s.HintName is not ("MoclojerService.g.cs" or "MockServer.g.cs")).Text;
        Assert.Contains("externalPathOk ? externalPath : null, \"\",", text, StringComparison.Ordinal);
        Assert.DoesNotContain("elsewhere", text, StringComparison.Ordinal);
    }
}
