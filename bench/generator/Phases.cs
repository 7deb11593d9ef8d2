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
        var text = BenchMocks.File(endpoints, "");
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
        using var ticks = s_types ? new AllocationTicks() : null;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var time = Stopwatch.StartNew();
        var result = action();
        Console.WriteLine($"  {name,-40} {time.Elapsed.TotalMilliseconds,8:0} ms {(GC.GetAllocatedBytesForCurrentThread() - allocated) / 1e6,8:0.0} MB");
        ticks?.Print();
        return result;
    }

    // PHASE_TYPES=1: the types that took the memory of each phase, from the runtime's allocation ticks (one event per
    // about 100 KB allocated, attributed to the type whose allocation crossed the mark).
    private static readonly bool s_types = Environment.GetEnvironmentVariable("PHASE_TYPES") is "1" or "all";
    private static readonly int s_top = Environment.GetEnvironmentVariable("PHASE_TYPES") == "all" ? 40 : 8;

    private sealed class AllocationTicks : System.Diagnostics.Tracing.EventListener
    {
        private readonly Dictionary<string, double> _bytes = new();

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
        {
            if (!e.EventName!.StartsWith("GCAllocationTick", StringComparison.Ordinal))
            {
                return;
            }
            var type = e.Payload![e.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
            var amount = Convert.ToDouble(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")]);
            lock (_bytes)
            {
                _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
            }
        }

        public void Print()
        {
            lock (_bytes)
            {
                foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(s_top))
                {
                    Console.WriteLine($"      {bytes / 1e6,8:0.0} MB  {type}");
                }
            }
        }
    }

    private static MethodInfo Method(Assembly assembly, string type, string name) =>
        assembly.GetType(type, throwOnError: true)!.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).First(m => m.Name == name);
}
