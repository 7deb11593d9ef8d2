using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>What a re-run recomputes, step by step, and that the models hold no compiler objects.</summary>
public class IncrementalityTests
{
    private const string Orders = """
        - endpoint:
            method: POST
            path: /orders/:id|int
            response:
              status: 201
              body: '{"id": {{path-params.id}}}'
        """;

    private const string Users = """
        - endpoint:
            path: /users
            response:
              body: '[]'
        """;

    private static readonly string[] YamlSteps = [TrackingNames.ParsedFiles, TrackingNames.FileSpecs, TrackingNames.FileDiagnostics];

    private static GeneratorDriver RunTwice(AdditionalText[] first, Func<GeneratorDriver, CSharpCompilation, (GeneratorDriver, CSharpCompilation)> change, out GeneratorRunResult second)
    {
        var compilation = GeneratorHarness.CreateCompilation("class Existing { }");
        var driver = GeneratorHarness.CreateDriver(first).RunGenerators(compilation);
        var (changedDriver, changedCompilation) = change(driver, compilation);
        changedDriver = changedDriver.RunGenerators(changedCompilation);
        second = changedDriver.GetRunResult().Results.Single();
        return changedDriver;
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps.TryGetValue(step, out var runs) ? runs.SelectMany(r => r.Outputs).Select(o => o.Reason) : [];

    [Fact]
    public void Rerun_with_the_same_input_is_fully_cached()
    {
        var files = new AdditionalText[] { new InMemoryAdditionalText("/project/mocks.yml", Orders) };
        RunTwice(files, (d, c) => (d, c.AddSyntaxTrees()), out var second);

        foreach (var step in second.TrackedSteps.Keys)
        {
            Assert.All(Reasons(second, step), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }
        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(r => r.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_a_csharp_file_leaves_the_yaml_steps_cached()
    {
        var files = new AdditionalText[] { new InMemoryAdditionalText("/project/mocks.yml", Orders) };
        RunTwice(files, (d, c) => (d, c.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class Added { }"))), out var second);

        foreach (var step in YamlSteps)
        {
            Assert.All(Reasons(second, step), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        }
    }

    [Fact]
    public void A_comment_in_yaml_changes_no_emitted_model()
    {
        var original = new InMemoryAdditionalText("/project/mocks.yml", Orders);
        var commented = new InMemoryAdditionalText("/project/mocks.yml", "# orders\n\n" + Orders);
        RunTwice([original], (d, c) => (d.ReplaceAdditionalText(original, commented), c), out var second);

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(second, TrackingNames.ParsedFiles));
        Assert.All(Reasons(second, TrackingNames.FileSpecs), r => Assert.Equal(IncrementalStepRunReason.Unchanged, r));
        Assert.All(Reasons(second, TrackingNames.Service), r => Assert.True(r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, r.ToString()));
    }

    [Fact]
    public void Editing_one_yaml_file_reruns_only_that_file()
    {
        var orders = new InMemoryAdditionalText("/project/orders.yml", Orders);
        var users = new InMemoryAdditionalText("/project/users.yml", Users);
        var editedUsers = new InMemoryAdditionalText("/project/users.yml", Users.Replace("'[]'", "'[1]'"));
        RunTwice([orders, users], (d, c) => (d.ReplaceAdditionalText(users, editedUsers), c), out var second);

        var specs = Reasons(second, TrackingNames.FileSpecs).ToList();
        Assert.Equal(1, specs.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, specs.Count(r => r == IncrementalStepRunReason.Cached));
    }

    [Fact]
    public void Pipeline_models_hold_no_compiler_objects()
    {
        var run = GeneratorHarness.Run([new InMemoryAdditionalText("/project/mocks.yml", Orders + "\n- endpoint: {path: x}\n")]);
        var result = run.Driver.GetRunResult().Results.Single();
        foreach (var (step, runs) in result.TrackedSteps)
        {
            var ours = typeof(TrackingNames).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();
            if (!ours.Contains(step) || step is TrackingNames.MockFiles)
            {
                continue; // Roslyn's own steps, and the AdditionalText that is by design the pipeline's input
            }
            foreach (var output in runs.SelectMany(r => r.Outputs))
            {
                AssertNoCompilerObjects(output.Value, step, []);
            }
        }
    }

    private static void AssertNoCompilerObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }
        var type = value.GetType();
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(Location), typeof(AdditionalText), typeof(Microsoft.CodeAnalysis.Text.SourceText) };
        Assert.False(forbidden.Any(f => f.IsAssignableFrom(type)) || type.Namespace?.StartsWith("YamlDotNet", StringComparison.Ordinal) == true,
            $"{path} holds a {type.FullName}");
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                AssertNoCompilerObjects(item, $"{path}[{i++}]", seen);
            }
            return;
        }
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoCompilerObjects(field.GetValue(value), path + "." + field.Name, seen);
        }
    }
}
