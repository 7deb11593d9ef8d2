using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>
/// Emits one static class per mock file with one handler per endpoint and websocket. Each handler is specialised:
/// typed parameters are checked once, static bodies are bytes encoded at build time, and templates are a sequence
/// of writes with the escaping chosen at build time.
/// </summary>
internal static class HandlersEmitter
{
    public static string Emit(MockFileSpec file)
    {
        var writer = new CodeWriter();
        writer.WriteLine(CodeWriter.FileHeader);
        writer.WriteLine();
        writer.StartBlock("namespace Moclojer.Generated");
        writer.WriteLine($$"""
            /// <summary>Endpoint handlers compiled from {{Xml(file.RelativePath)}}.</summary>
            [global::System.CodeDom.Compiler.GeneratedCode("Moclojer.Generators", "{{ThisAssembly.Version}}")]
            """);
        writer.StartBlock("internal static class " + file.ClassName);
        var statics = new ClassStatics();
        var handlers = file.Endpoints.Select(e => (HandlerWriter)new EndpointHandlerWriter(writer, statics, e))
            .Concat(file.WebSockets.Select(s => new WebSocketHandlerWriter(writer, statics, s)));
        var first = true;
        foreach (var handler in handlers)
        {
            if (!first)
            {
                writer.WriteLine();
            }
            first = false;
            handler.Write();
        }
        writer.EndBlock();
        writer.EndBlock();
        return writer.ToString();
    }

    /// <summary>The name of a route's handler method in its file's class.</summary>
    public static string HandlerName(HandlerKind kind, int index) =>
        (kind == HandlerKind.WebSocket ? "WebSocket" : "Endpoint") + Literals.Number(index);

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
