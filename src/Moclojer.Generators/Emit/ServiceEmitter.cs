using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>
/// Emits the service file: the route table, <c>AddMoclojer</c>/<c>MapMoclojer</c>, and, for a project without an
/// entry point of its own, <c>Main</c>.
/// </summary>
internal static class ServiceEmitter
{
    public static ServiceSpec BuildSpec(IEnumerable<MockFileSpec> files, bool generateEntryPoint)
    {
        var ordered = files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
        var served = ordered.Where(f => !f.HasErrors).ToList();
        var routes = served.SelectMany(f => f.Endpoints.Select(e => new RouteSpec(
            f.ClassName,
            HandlersEmitter.HandlerName(e),
            e.Method,
            e.Host,
            e.Segments.Select(s => s.Text).ToEquatableArray(),
            e.Segments.Select(s => s.IsParameter).ToEquatableArray(),
            e.Method + " " + e.Path + (e.Host is null ? string.Empty : " (host " + e.Host + ")") + " in " + f.RelativePath)))
            // WS-1: a websocket accepts upgrades (GET) on its path.
            .Concat(served.SelectMany(f => f.WebSockets.Select(s => new RouteSpec(
                f.ClassName,
                HandlersEmitter.HandlerName(s),
                "GET",
                null,
                s.Segments.Select(x => x.Text).ToEquatableArray(),
                s.Segments.Select(x => x.IsParameter).ToEquatableArray(),
                "WEBSOCKET " + s.Path + " in " + f.RelativePath))));
        var swagger = SwaggerBuilder.Build(served.SelectMany(f => f.Endpoints));
        var openApi = OpenApiBuilder.Build(served.SelectMany(f => f.Endpoints));
        return new ServiceSpec(routes.ToEquatableArray(), swagger, openApi, ordered.Select(f => f.RelativePath).ToEquatableArray(), generateEntryPoint);
    }

    public static string Emit(ServiceSpec spec)
    {
        var w = new CodeWriter();
        w.Lines(CodeWriter.Header);
        w.Open("namespace Moclojer.Generated");
        w.Line("/// <summary>The mock service compiled from the project's mock files.</summary>");
        w.Open("internal static class MoclojerService");
        w.Line("private static readonly byte[] s_swagger = " + CodeWriter.Utf8Literal(spec.SwaggerJson) + ".ToArray();");
        w.Line("private static readonly byte[] s_openApi = " + CodeWriter.Utf8Literal(spec.OpenApiJson) + ".ToArray();");
        w.Line();
        w.Line("/// <summary>The routes, in declaration order; the router orders them by specificity.</summary>");
        w.Open("internal static global::Moclojer.Runtime.MockServiceDefinition CreateDefinition()");
        w.Line("var routes = new global::Moclojer.Runtime.MockRoute[]");
        w.Line("{");
        foreach (var route in spec.Routes)
        {
            var segments = route.Segments.Select((s, i) => route.IsParameter[i] ? "null" : CodeWriter.Literal(s));
            w.Line("    new(" + CodeWriter.Literal(route.Method) + ", " + (route.Host is null ? "null" : CodeWriter.Literal(route.Host))
                + ", new string?[] { " + string.Join(", ", segments) + " }, global::Moclojer.Generated." + route.ClassName + "." + route.HandlerName
                + ", " + CodeWriter.Literal(route.DisplayName) + "),");
        }
        w.Line("};");
        w.Line("var files = new string[] { " + string.Join(", ", spec.SourceFiles.Select(CodeWriter.Literal)) + " };");
        w.Line("return new global::Moclojer.Runtime.MockServiceDefinition(routes, s_swagger, files, s_openApi);");
        w.Close();
        w.Close();

        if (spec.GenerateEntryPoint)
        {
            w.Line();
            w.Line("/// <summary>The entry point of a project that has no code of its own: serve the mocks.</summary>");
            w.Open("internal static class MoclojerProgram");
            w.Open("public static void Main(string[] args)");
            w.Line("var builder = global::Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder(args);");
            w.Line("global::Moclojer.Runtime.MoclojerHosting.ConfigureServer(builder);");
            w.Line("global::Microsoft.Extensions.DependencyInjection.MoclojerServiceCollectionExtensions.AddMoclojer(builder.Services);");
            w.Line("var app = builder.Build();");
            w.Line("global::Microsoft.AspNetCore.Builder.MoclojerEndpointRouteBuilderExtensions.MapMoclojer(app);");
            w.Line("app.Run();");
            w.Close();
            w.Close();
        }
        w.Close();
        w.Line();
        w.Open("namespace Microsoft.Extensions.DependencyInjection");
        w.Line("/// <summary>Registers the compiled mock service.</summary>");
        w.Open("internal static class MoclojerServiceCollectionExtensions");
        w.Line("/// <summary>Adds the services the mock endpoints need (call <c>MapMoclojer</c> on the app as well).</summary>");
        w.Line("public static global::Microsoft.Extensions.DependencyInjection.IServiceCollection AddMoclojer(this global::Microsoft.Extensions.DependencyInjection.IServiceCollection services)");
        w.Line("    => global::Moclojer.Runtime.MoclojerHosting.AddMockService(services, global::Moclojer.Generated.MoclojerService.CreateDefinition());");
        w.Close();
        w.Close();
        w.Line();
        w.Open("namespace Microsoft.AspNetCore.Builder");
        w.Line("/// <summary>Maps the compiled mock endpoints.</summary>");
        w.Open("internal static class MoclojerEndpointRouteBuilderExtensions");
        w.Line("/// <summary>Serves every mock endpoint; the application's own endpoints take precedence.</summary>");
        w.Line("public static global::Microsoft.AspNetCore.Builder.IEndpointConventionBuilder MapMoclojer(this global::Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints)");
        w.Line("    => global::Moclojer.Runtime.MoclojerHosting.MapMockService(endpoints);");
        w.Close();
        w.Close();
        return w.ToString();
    }
}
