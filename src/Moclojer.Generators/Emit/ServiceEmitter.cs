using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>
/// Emits the service file from the service model: the route table, the compiled router (<see cref="RouterEmitter"/>), <c>AddMoclojer</c>/<c>MapMoclojer</c>, and, for
/// a project without an entry point of its own, <c>Main</c>.
/// </summary>
internal static class ServiceEmitter
{
    private const string EntryPoint = """
        /// <summary>The entry point of a project that has no code of its own: serve the mocks.</summary>
        internal static class MoclojerProgram
        {
            public static void Main(string[] args)
            {
                var builder = global::Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(args);
                global::Moclojer.Runtime.MoclojerHosting.ConfigureServer(builder);
                global::Microsoft.Extensions.DependencyInjection.MoclojerServiceCollectionExtensions.AddMoclojer(builder.Services);
                var app = builder.Build();
                global::Moclojer.Runtime.MoclojerHosting.UseMockRoutesFirst(app);
                global::Microsoft.AspNetCore.Builder.MoclojerEndpointRouteBuilderExtensions.MapMoclojer(app);
                app.Run();
            }
        }
        """;

    private const string Extensions = """
        namespace Microsoft.Extensions.DependencyInjection
        {
            /// <summary>Registers the compiled mock service.</summary>
            internal static class MoclojerServiceCollectionExtensions
            {
                /// <summary>Adds the services the mock endpoints need (call <c>MapMoclojer</c> on the app as well).</summary>
                public static global::Microsoft.Extensions.DependencyInjection.IServiceCollection AddMoclojer(this global::Microsoft.Extensions.DependencyInjection.IServiceCollection services)
                    => global::Moclojer.Runtime.MoclojerHosting.AddMockService(services, global::Moclojer.Generated.MoclojerService.CreateDefinition());
            }
        }

        namespace Microsoft.AspNetCore.Builder
        {
            /// <summary>Maps the compiled mock endpoints.</summary>
            internal static class MoclojerEndpointRouteBuilderExtensions
            {
                /// <summary>Serves every mock endpoint; the application's own endpoints take precedence.</summary>
                public static global::Microsoft.AspNetCore.Builder.IEndpointConventionBuilder MapMoclojer(this global::Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints)
                    => global::Moclojer.Runtime.MoclojerHosting.MapMockService(endpoints);
            }
        }
        """;

    /// <summary>
    /// Routes built per method. The route table is run once, at start-up, in tier-0 code: one method for thousands of
    /// routes is hundreds of kilobytes of IL that the JIT compiles with hundreds of megabytes of memory the process keeps.
    /// </summary>
    internal const int RoutesPerMethod = 128;

    public static Microsoft.CodeAnalysis.Text.SourceText Emit(ServiceSpec spec)
    {
        var w = new CodeWriter();
        w.WriteLine(CodeWriter.FileHeader);
        w.WriteLine();
        w.StartBlock("namespace Moclojer.Generated");
        w.WriteLine("/// <summary>The mock service compiled from the project's mock files.</summary>");
        w.StartBlock("internal static class MoclojerService");
        w.WriteUtf8Line("private static readonly byte[] s_swagger = ", spec.SwaggerJson, ".ToArray();");
        w.WriteUtf8Line("private static readonly byte[] s_openApi = ", spec.OpenApiJson, ".ToArray();");
        w.WriteLine();
        w.WriteLine("/// <summary>The routes, in declaration order, and the router compiled from them (<c>MoclojerRouter</c>).</summary>");
        w.StartBlock("internal static global::Moclojer.Runtime.MockServiceDefinition CreateDefinition()");
        var chunks = (spec.Routes.Count + RoutesPerMethod - 1) / RoutesPerMethod;
        var chunked = chunks > 1;
        if (!chunked)
        {
            w.WriteLine("var routes = new global::Moclojer.Runtime.MockRoute[]");
            w.StartBlock();
            foreach (var route in spec.Routes)
            {
                w.WriteLine($"new({RouteArguments(route)}),");
            }
            w.EndBlock(";");
        }
        else
        {
            w.WriteLine($"var routes = new global::Moclojer.Runtime.MockRoute[{spec.Routes.Count}];");
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                w.WriteLine($"AddRoutes{chunk}(routes);");
            }
        }
        w.WriteLine($$"""
            var files = new string[] { {{string.Join(", ", spec.SourceFiles.Select(Literals.String))}} };
            var router = new global::Moclojer.Runtime.MockRouter(routes, MoclojerRouter.Order, MoclojerRouter.MaxSegments, MoclojerRouter.Match);
            return new global::Moclojer.Runtime.MockServiceDefinition(router, s_swagger, files, s_openApi);
            """);
        w.EndBlock();
        if (chunked)
        {
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                w.WriteLine();
                w.StartBlock($"private static void AddRoutes{chunk}(global::Moclojer.Runtime.MockRoute[] routes)");
                for (var i = chunk * RoutesPerMethod; i < Math.Min(spec.Routes.Count, (chunk + 1) * RoutesPerMethod); i++)
                {
                    w.WriteLine($"routes[{i}] = new({RouteArguments(spec.Routes[i])});");
                }
                w.EndBlock();
            }
        }
        w.EndBlock();
        w.WriteLine();
        RouterEmitter.Emit(w, spec);
        if (spec.GenerateEntryPoint)
        {
            w.WriteLine();
            w.WriteLine(EntryPoint);
        }
        w.EndBlock();
        w.WriteLine();
        w.WriteLine(Extensions);
        return w.ToSourceText();
    }

    private static string RouteArguments(RouteSpec route)
    {
        var segments = string.Join(", ", route.Segments.Select((s, i) => route.IsParameter[i] ? "null" : Literals.String(s)));
        var handler = "global::Moclojer.Generated." + route.ClassName + "." + HandlersEmitter.HandlerPath(route.Handler, route.HandlerIndex);
        return $"{Literals.String(route.Method)}, {Literals.StringOrNull(route.Host)}, new string?[] {{ {segments} }}, {handler}, {Literals.String(route.DisplayName)}";
    }
}
