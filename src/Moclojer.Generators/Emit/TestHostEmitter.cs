using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>
/// Emits the test host of a mock project, in its root namespace: <c>MockServer</c> (start the compiled mock in a
/// test, on Kestrel or in memory, and read what it received) and <c>MockServerEndpoints</c> (one typed property per
/// endpoint, with a call record whose path parameters have their declared types).
/// </summary>
internal static class TestHostEmitter
{
    private const string Runtime = "global::Moclojer.Runtime.";

    private static readonly HashSet<string> ObjectMembers = new(StringComparer.Ordinal) { "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "ReferenceEquals" };

    private const string Server = """
        /// <summary>
        /// The mock compiled from this project's mock files, started inside a test process: on Kestrel at 127.0.0.1
        /// (<see cref="StartAsync"/>) or in memory (<see cref="StartInMemoryAsync"/>). It records every request
        /// (<see cref="Requests"/>, typed per endpoint in <see cref="Endpoints"/>) and every webhook (<see cref="Webhooks"/>).
        /// </summary>
        [global::System.CodeDom.Compiler.GeneratedCode("Moclojer.Generators", VERSION)]
        public sealed partial class MockServer : global::System.IAsyncDisposable
        {
            private readonly global::Moclojer.Runtime.MockServerHost _host;

            private MockServer(global::Moclojer.Runtime.MockServerHost host)
            {
                _host = host;
                Endpoints = new MockServerEndpoints(host.Services);
            }

            /// <summary>Starts the mock on Kestrel, listening on 127.0.0.1 at a free port (or <c>Port</c>).</summary>
            /// <param name="configure">Options of this start: port, clock, webhook handler, services.</param>
            /// <param name="cancellationToken">Cancels the start.</param>
            public static async global::System.Threading.Tasks.Task<MockServer> StartAsync(global::System.Action<global::Moclojer.Runtime.MockServerOptions>? configure = null, global::System.Threading.CancellationToken cancellationToken = default)
                => new MockServer(await global::Moclojer.Runtime.MockServerHost.StartAsync(AddService, MapService, configure, cancellationToken).ConfigureAwait(false));

            /// <summary>Starts the mock in memory (ASP.NET Core TestServer, no port): reach it with <see cref="CreateClient"/> or <see cref="CreateHandler"/>.</summary>
            /// <param name="configure">Options of this start: clock, webhook handler, services.</param>
            /// <param name="cancellationToken">Cancels the start.</param>
            public static async global::System.Threading.Tasks.Task<MockServer> StartInMemoryAsync(global::System.Action<global::Moclojer.Runtime.MockServerOptions>? configure = null, global::System.Threading.CancellationToken cancellationToken = default)
                => new MockServer(await global::Moclojer.Runtime.MockServerHost.StartInMemoryAsync(AddService, MapService, configure, cancellationToken).ConfigureAwait(false));

            private static void AddService(global::Microsoft.Extensions.DependencyInjection.IServiceCollection services)
                => global::Microsoft.Extensions.DependencyInjection.MoclojerServiceCollectionExtensions.AddMoclojer(services);

            private static void MapService(global::Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints)
                => global::Microsoft.AspNetCore.Builder.MoclojerEndpointRouteBuilderExtensions.MapMoclojer(endpoints);

            /// <summary>Where the mock answers: <c>http://127.0.0.1:PORT/</c>, or <c>http://localhost/</c> in memory.</summary>
            public global::System.Uri BaseAddress => _host.BaseAddress;

            /// <summary>The mock's services.</summary>
            public global::System.IServiceProvider Services => _host.Services;

            /// <summary>Every request the mock received (bounded), matched or not, with near misses for unmatched ones.</summary>
            public global::Moclojer.Runtime.IRequestJournal Requests => _host.Requests;

            /// <summary>The outcome of every webhook: sent, failed, skipped (with why), dropped.</summary>
            public global::Moclojer.Runtime.Webhooks.IWebhookJournal Webhooks => _host.Webhooks;

            /// <summary>One typed property per endpoint of the mock files: its calls, and a wait for the next one.</summary>
            public MockServerEndpoints Endpoints { get; }

            /// <summary>A new client whose base address is <see cref="BaseAddress"/>.</summary>
            public global::System.Net.Http.HttpClient CreateClient() => _host.CreateClient();

            /// <summary>A handler that reaches the mock, for the system under test's HttpClient.</summary>
            public global::System.Net.Http.HttpMessageHandler CreateHandler() => _host.CreateHandler();

            /// <summary>Clears both journals and the rate-limit counters, and cancels pending webhooks.</summary>
            public void Reset() => _host.Reset();

            /// <summary>Stops the mock.</summary>
            public global::System.Threading.Tasks.ValueTask DisposeAsync() => _host.DisposeAsync();
        }
        """;

    public static Microsoft.CodeAnalysis.Text.SourceText Emit(TestHostSpec spec)
    {
        var w = new CodeWriter();
        w.WriteLine(CodeWriter.FileHeader);
        w.WriteLine();
        w.StartBlock("namespace " + spec.Namespace);
        w.WriteLine(Server.Replace("VERSION", Literals.String(ThisAssembly.Version)));
        w.WriteLine();
        WriteEndpoints(w, spec);
        w.EndBlock();
        return w.ToSourceText();
    }

    private static void WriteEndpoints(CodeWriter w, TestHostSpec spec)
    {
        w.WriteLine("""
            /// <summary>The endpoints of the mock files, each with its typed calls. Renaming an endpoint renames its property.</summary>
            [global::System.CodeDom.Compiler.GeneratedCode("Moclojer.Generators", VERSION)]
            """.Replace("VERSION", Literals.String(ThisAssembly.Version)));
        w.StartBlock("public sealed partial class MockServerEndpoints");
        w.WriteLine("/// <summary>Typed views over the journals of the mock whose services are given (a <c>MockServer</c>'s, or a <c>WebApplicationFactory</c>'s).</summary>");
        w.StartBlock("public MockServerEndpoints(global::System.IServiceProvider services)");
        foreach (var endpoint in spec.Endpoints)
        {
            w.WriteLine($"{endpoint.Name} = new(services, {Literals.String(endpoint.Route)}, {endpoint.Name}Call.TryCreate);");
        }
        w.EndBlock();
        foreach (var endpoint in spec.Endpoints)
        {
            w.WriteLine();
            w.WriteLine($"/// <summary>{Xml(endpoint.Route)}</summary>");
            var hides = ObjectMembers.Contains(endpoint.Name) ? "new " : string.Empty;
            w.WriteLine($"public {hides}{Runtime}MockEndpointCalls<{endpoint.Name}Call> {endpoint.Name} {{ get; }}");
        }
        foreach (var endpoint in spec.Endpoints)
        {
            w.WriteLine();
            WriteCall(w, endpoint);
        }
        w.EndBlock();
    }

    /// <summary>
    /// A call of one endpoint: a class over the runtime's <c>MockCall</c> (request, equality, ToString) with each path
    /// parameter as a property of its declared type. Not a record: a record per endpoint synthesized about ten members
    /// each, the largest compile cost of a mock of a thousand endpoints (docs/performance.md, build cost).
    /// </summary>
    private static void WriteCall(CodeWriter w, TypedEndpoint endpoint)
    {
        var type = endpoint.Name + "Call";
        var parameters = endpoint.Parameters;
        w.WriteLine($"/// <summary>A call of {Xml(endpoint.Route)}: the request and its path parameters, typed as the path declares.</summary>");
        w.StartBlock($"public sealed class {type} : {Runtime}MockCall");
        var declared = string.Concat(parameters.Select(p => $", {ClrType(p.Type)} {Argument(p)}"));
        var baseCall = parameters.Count == 0
            ? "base(request)"
            : $"base(request, new string[] {{ {string.Join(", ", parameters.Select(p => Literals.String(p.Property)))} }}, new object?[] {{ {string.Join(", ", parameters.Select(Argument))} }})";
        // Internal: calls come from the journal (TryCreate), so the constructor is not public API to document.
        var assignments = string.Concat(parameters.Select(p => $" {p.Property} = {Argument(p)};"));
        w.WriteLine($"internal {type}({Runtime}RequestRecord request{declared}) : {baseCall} {{{assignments} }}");
        foreach (var parameter in parameters)
        {
            w.WriteLine();
            w.WriteLine($"/// <summary>The path parameter, typed as declared ({parameter.Type.ToString().ToLowerInvariant()}).</summary>");
            w.WriteLine($"public {ClrType(parameter.Type)} {parameter.Property} {{ get; }}");
        }
        w.WriteLine();
        w.StartBlock($"internal static bool TryCreate({Runtime}RequestRecord record, out {type} call)");
        if (parameters.Count == 0)
        {
            w.WriteLine($"call = new {type}(record);");
            w.WriteLine("return true;");
        }
        else
        {
            // The values the handler accepted (P-4/P-5); a record whose value does not convert was answered 400.
            var checks = new List<string> { $"record.PathValues.Count != {Literals.Number(parameters.Count)}" };
            var arguments = new List<string>();
            for (var i = 0; i < parameters.Count; i++)
            {
                var raw = $"record.PathValues[{Literals.Number(i)}]";
                if (parameters[i].Type == MockParamType.String)
                {
                    arguments.Add(raw);
                    continue;
                }
                checks.Add("!" + Read(parameters[i].Type, raw, "p" + Literals.Number(i)));
                arguments.Add("p" + Literals.Number(i));
            }
            w.WriteLine("call = null!;");
            w.StartBlock($"if ({string.Join(" || ", checks)})");
            w.WriteLine("return false;");
            w.EndBlock();
            w.WriteLine($"call = new {type}(record{string.Concat(arguments.Select(a => ", " + a))});");
            w.WriteLine("return true;");
        }
        w.EndBlock();
        w.EndBlock();
    }

    /// <summary>The constructor argument of a property: camelCase, verbatim so that a keyword (<c>Class</c>) stays a name.</summary>
    private static string Argument(TypedParameter parameter) =>
        "@" + char.ToLowerInvariant(parameter.Property[0]) + parameter.Property.Substring(1);

    /// <summary>The CLR type of a path parameter: <c>int</c> is 64-bit (P-4), <c>float</c> is read as <c>double</c>.</summary>
    private static string ClrType(MockParamType type) => type switch
    {
        MockParamType.Int => "long",
        MockParamType.Bool => "bool",
        MockParamType.Float or MockParamType.Double => "double",
        MockParamType.Uuid => "global::System.Guid",
        MockParamType.Date => "global::System.DateOnly",
        _ => "string",
    };

    /// <summary>A call of <c>MockCall</c>'s conversion reading <paramref name="raw"/> into a new local.</summary>
    private static string Read(MockParamType type, string raw, string local) => type switch
    {
        MockParamType.Int => $"TryInt({raw}, out var {local})",
        MockParamType.Bool => $"TryBool({raw}, out var {local})",
        MockParamType.Float or MockParamType.Double => $"TryDouble({Runtime}MockParamType.{type}, {raw}, out var {local})",
        MockParamType.Uuid => $"TryUuid({raw}, out var {local})",
        MockParamType.Date => $"TryDate({raw}, out var {local})",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
