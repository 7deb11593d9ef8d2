using System.Diagnostics;
using System.Reflection;

namespace Moclojer.Generators.Benchmarks;

/// <summary>
/// Allocations and time per phase of the generator, warm (<c>--phases 10000</c>): the generator's internal steps
/// called through reflection (this project sees only its public surface), each measured on the calling thread.
/// </summary>
internal static class Phases
{
    public static void Run(int endpoints)
    {
        var assembly = typeof(MockGenerator).Assembly;
        var parse = Method(assembly, "Moclojer.Generators.Parsing.MockFileParser", "Parse");
        var serviceBuild = Method(assembly, "Moclojer.Generators.Combining.ServiceSpecBuilder", "Build");
        var testHostBuild = Method(assembly, "Moclojer.Generators.Combining.TestHostSpecBuilder", "Build");
        var swagger = Method(assembly, "Moclojer.Generators.Combining.SwaggerBuilder", "Build");
        var openApi = Method(assembly, "Moclojer.Generators.Combining.OpenApiBuilder", "Build");
        var handlers = Method(assembly, "Moclojer.Generators.Emit.HandlersEmitter", "Emit");
        var service = Method(assembly, "Moclojer.Generators.Emit.ServiceEmitter", "Emit");
        var testHost = Method(assembly, "Moclojer.Generators.Emit.TestHostEmitter", "Emit");
        var text = GeneratorBenchmarks.MockFile(endpoints, "");
        for (var round = 0; round < 3; round++)
        {
            Console.WriteLine($"round {round + 1}");
            var result = Measure("parse (YAML and model)", () => parse.Invoke(null, ["/project/mocks.yml", "mocks.yml", text, CancellationToken.None, "/project/", null, false])!);
            var spec = result.GetType().GetProperty("Spec")!.GetValue(result)!;
            var files = Array.CreateInstance(spec.GetType(), 1);
            files.SetValue(spec, 0);
            var endpointsOf = spec.GetType().GetProperty("Endpoints")!.GetValue(spec)!;
            Measure("swagger document", () => swagger.Invoke(null, [endpointsOf])!);
            Measure("openapi document", () => openApi.Invoke(null, [endpointsOf])!);
            var serviceSpec = Measure("service model (with both documents)", () => serviceBuild.Invoke(null, [files, true])!);
            var testHostSpec = Measure("test host model", () => testHostBuild.Invoke(null, [files, "Consumer", true])!);
            Measure("emit handlers", () => handlers.Invoke(null, [spec])!);
            Measure("emit service", () => service.Invoke(null, [serviceSpec])!);
            Measure("emit test host", () => testHost.Invoke(null, [testHostSpec])!);
        }
    }

    private static object Measure(string name, Func<object> action)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var time = Stopwatch.StartNew();
        var result = action();
        Console.WriteLine($"  {name,-40} {time.Elapsed.TotalMilliseconds,8:0} ms {(GC.GetAllocatedBytesForCurrentThread() - allocated) / 1e6,8:0.0} MB");
        return result;
    }

    private static MethodInfo Method(Assembly assembly, string type, string name) =>
        assembly.GetType(type, throwOnError: true)!.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).First(m => m.Name == name);
}
