using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>
/// Emits one static class per mock file with one handler per endpoint and websocket. Each handler is specialised:
/// typed parameters are checked once, static bodies are bytes encoded at build time, and templates are a sequence
/// of writes with the escaping chosen at build time.
/// </summary>
internal static class HandlersEmitter
{
    public static Microsoft.CodeAnalysis.Text.SourceText Emit(MockFileSpec file)
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
        // The first endpoints and the websockets sit in the file's class; every further group of endpoints in a class
        // of its own (see HandlerPath).
        var parts = file.Endpoints.GroupBy(e => e.Index / HandlersPerClass).ToList();
        var first = parts.FirstOrDefault(p => p.Key == 0)?.ToList() ?? [];
        var statics = new ClassStatics();
        WriteHandlers(writer, first.Select(e => (HandlerWriter)new EndpointHandlerWriter(writer, statics, e))
            .Concat(file.WebSockets.Select(s => new WebSocketHandlerWriter(writer, statics, s))));
        foreach (var part in parts.Where(p => p.Key > 0))
        {
            writer.WriteLine();
            writer.WriteLine($"/// <summary>Endpoints {Literals.Number(part.Key * HandlersPerClass)} to {Literals.Number(part.Key * HandlersPerClass + HandlersPerClass - 1)}: their static fields are initialised when one of them is first called.</summary>");
            writer.StartBlock("internal static class " + PartName(part.Key));
            var partStatics = new ClassStatics();
            WriteHandlers(writer, part.Select(e => (HandlerWriter)new EndpointHandlerWriter(writer, partStatics, e)));
            writer.EndBlock();
        }
        writer.EndBlock();
        writer.EndBlock();
        return writer.ToSourceText();
    }

    /// <summary>
    /// Endpoint handlers per class. A class's static fields (bodies, rate limits, webhook settings) are initialised
    /// together, by one static constructor, when the first of its handlers runs: with thousands of endpoints in one
    /// class that would be one method of hundreds of kilobytes of IL, compiled and run on the first request.
    /// </summary>
    internal const int HandlersPerClass = 128;

    /// <summary>The name of a route's handler method in its file's class.</summary>
    public static string HandlerName(HandlerKind kind, int index) =>
        (kind == HandlerKind.WebSocket ? "WebSocket" : "Endpoint") + Literals.Number(index);

    /// <summary>Where a route's handler is, from its file's class: the first endpoints and every websocket are in it, later endpoints in its nested classes.</summary>
    public static string HandlerPath(HandlerKind kind, int index) =>
        kind == HandlerKind.WebSocket || index < HandlersPerClass
            ? HandlerName(kind, index)
            : PartName(index / HandlersPerClass) + "." + HandlerName(kind, index);

    private static string PartName(int part) => "Part" + Literals.Number(part);

    private static void WriteHandlers(CodeWriter writer, IEnumerable<HandlerWriter> handlers)
    {
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
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
