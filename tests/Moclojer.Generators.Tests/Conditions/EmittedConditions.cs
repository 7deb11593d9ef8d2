using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Moclojer.Generators.Conditions;
using Moclojer.Runtime;

namespace Moclojer.Generators.Tests.Conditions;

/// <summary>
/// Compiles conditions the way the generator would: parse, emit a C# expression, and compile it with Roslyn in
/// memory against the runtime assembly. Each condition becomes
/// <c>public static bool C{n}(Dictionary&lt;string, string?&gt; variables)</c>, where a variable is looked up by its
/// spelling (<c>json-params.a.0</c>) and an absent key is a missing value. Many conditions are compiled in one batch.
/// </summary>
internal static class EmittedConditions
{
    private static readonly ConcurrentDictionary<string, Func<Dictionary<string, string?>, bool>> Compiled = new(StringComparer.Ordinal);
    private static readonly object Gate = new();

    /// <summary>The running test's .NET framework assemblies plus the Moclojer runtime.</summary>
    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path =>
            {
                var name = Path.GetFileName(path);
                return name.StartsWith("System.", StringComparison.Ordinal) || name is "System.dll" or "netstandard.dll" or "mscorlib.dll";
            })
            .Append(typeof(MockConditions).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());
    private static int _batch;

    /// <summary>The expression the emitter produces for <paramref name="condition"/>, reading variables from <c>variables</c>.</summary>
    public static string EmitCondition(string condition)
    {
        var result = ConditionParser.Parse(condition);
        Assert.False(result.HasErrors, $"'{condition}' should parse: {string.Join("; ", result.Errors.Select(e => e.Message))}");
        return ConditionEmitter.Emit(result.Root, v => $"Get(variables, {ConditionEmitter.StringLiteral(v.ToString())})");
    }

    /// <summary>Compiles every condition not compiled yet, in one compilation.</summary>
    public static void Prepare(IEnumerable<string> conditions)
    {
        lock (Gate)
        {
            var missing = conditions.Distinct(StringComparer.Ordinal).Where(c => !Compiled.ContainsKey(c)).ToList();
            if (missing.Count == 0)
            {
                return;
            }
            var expressions = missing.Select(EmitCondition).ToList();
            var methods = CompileBatch(expressions);
            for (var i = 0; i < missing.Count; i++)
            {
                Compiled[missing[i]] = methods[i];
            }
        }
    }

    public static bool Evaluate(string condition, Dictionary<string, string?> variables)
    {
        Prepare(new[] { condition });
        return Compiled[condition](variables);
    }

    /// <summary>Compiles raw C# boolean expressions over <c>variables</c>; fails the test on any error or warning.</summary>
    public static IReadOnlyList<Func<Dictionary<string, string?>, bool>> CompileBatch(IReadOnlyList<string> expressions)
    {
        var batch = Interlocked.Increment(ref _batch);
        var source = new StringBuilder();
        source.AppendLine("#nullable enable");
        source.AppendLine("using System.Collections.Generic;");
        source.AppendLine("public static class EmittedConditionBatch");
        source.AppendLine("{");
        source.AppendLine("    private static string? Get(Dictionary<string, string?> variables, string name) => variables.TryGetValue(name, out var value) ? value : null;");
        for (var i = 0; i < expressions.Count; i++)
        {
            source.Append("    public static bool C").Append(i).Append("(Dictionary<string, string?> variables) => ").Append(expressions[i]).AppendLine(";");
        }
        source.AppendLine("}");

        var compilation = CSharpCompilation.Create(
            "EmittedConditions" + batch,
            new[] { CSharpSyntaxTree.ParseText(source.ToString(), new CSharpParseOptions(LanguageVersion.Latest)) },
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(emitted.Success && problems.Count == 0,
            "The emitted conditions do not compile cleanly:\n" + string.Join("\n", problems) + "\n" + source);
        stream.Position = 0;
        var assembly = new BatchLoadContext().LoadFromStream(stream);
        var type = assembly.GetType("EmittedConditionBatch")!;
        var result = new List<Func<Dictionary<string, string?>, bool>>(expressions.Count);
        for (var i = 0; i < expressions.Count; i++)
        {
            var method = type.GetMethod("C" + i, BindingFlags.Public | BindingFlags.Static)!;
            result.Add(method.CreateDelegate<Func<Dictionary<string, string?>, bool>>());
        }
        return result;
    }

    /// <summary>Variables from (name, value) pairs; a null value is a missing value, the same as an absent name.</summary>
    public static Dictionary<string, string?> Variables(params (string Name, string? Value)[] values)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            variables[name] = value;
        }
        return variables;
    }

    /// <summary>Resolves the runtime assembly to the one the tests already loaded, so both see the same types.</summary>
    private sealed class BatchLoadContext : AssemblyLoadContext
    {
        public BatchLoadContext()
            : base(isCollectible: true)
        {
        }

        protected override Assembly? Load(AssemblyName assemblyName) =>
            AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), assemblyName));
    }
}
