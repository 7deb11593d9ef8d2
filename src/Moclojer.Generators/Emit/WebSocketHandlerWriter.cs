using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>
/// Writes the handler of one websocket item (WS-1 to WS-3): typed path parameters are checked before the upgrade
/// (P-3), then the connection gets the on-connect response and, for each text message, the response of every
/// on-message entry whose pattern matches the whole message, in declaration order. Patterns are compiled once,
/// when the class is initialised (the regex source generator does not see generated code).
/// </summary>
internal sealed class WebSocketHandlerWriter(CodeWriter writer, ClassStatics statics, WebSocketSpec socket)
    : HandlerWriter(writer, statics, socket.Segments, [])
{
    private readonly string _prefix = "s_ws" + Literals.Number(socket.Index);
    private int _buffers;

    protected override bool IsAsync => true;

    private string ConnectField => _prefix + "_connect";

    private string PatternField(int entry) => _prefix + "_pattern" + Literals.Number(entry);

    private string MessageField(int entry) => _prefix + "_message" + Literals.Number(entry);

    public override void Write()
    {
        Writer.WriteLine("// WEBSOCKET " + socket.Path);
        Statics.Write(Writer, StaticFields());
        StartHandler(HandlersEmitter.HandlerName(HandlerKind.WebSocket, socket.Index));
        WritePathChecks();
        Writer.WriteLine($$"""
            using var session = await {{Runtime}}MockWebSocketSession.AcceptAsync(request);
            if (session is null)
            {
                return;
            }
            """);
        if (socket.OnMessage.Count > 0 || (socket.OnConnect?.Parts.Any(p => p.Variable?.Source == VariableSource.Message) ?? false))
        {
            Writer.WriteLine("string? message = null;");
        }
        if (socket.OnConnect is not null)
        {
            WriteSend(socket.OnConnect, ConnectField);
        }
        if (socket.OnMessage.Count > 0)
        {
            Writer.StartBlock("while ((message = await session.ReceiveAsync()) is not null)");
            Writer.WriteLine("request.UseJsonText(message);");
            for (var i = 0; i < socket.OnMessage.Count; i++)
            {
                Writer.StartBlock($"if ({Runtime}MockWebSocketSession.Matches({PatternField(i)}, message))");
                WriteSend(socket.OnMessage[i].Response, MessageField(i));
                Writer.EndBlock();
            }
            Writer.EndBlock();
        }
        else
        {
            Writer.StartBlock("while (await session.ReceiveAsync() is not null)");
            Writer.EndBlock();
        }
        Writer.EndBlock();
    }

    /// <summary>The static fields the handler reads, in the order it reads them.</summary>
    private IEnumerable<StaticField> StaticFields()
    {
        foreach (var field in Message(socket.OnConnect, ConnectField, sent: socket.OnConnect is not null))
        {
            yield return field;
        }
        for (var i = 0; i < socket.OnMessage.Count; i++)
        {
            yield return new PatternField(PatternField(i), "\\A(?:" + socket.OnMessage[i].Pattern + ")\\z");
            foreach (var field in Message(socket.OnMessage[i].Response, MessageField(i), sent: true))
            {
                yield return field;
            }
        }
    }

    private static IEnumerable<StaticField> Message(TemplateSpec? template, string field, bool sent) =>
        !sent ? []
        : template is null || template.IsStatic ? [new BytesField(field, template?.StaticText ?? string.Empty)]
        : ClassStatics.JsonPaths(template);

    /// <summary>Sends a response: build-time bytes when static, otherwise the template rendered into a buffer.</summary>
    private void WriteSend(TemplateSpec? template, string field)
    {
        if (template is null || template.IsStatic)
        {
            Writer.WriteLine($"await session.SendAsync({field});");
            return;
        }
        var buffer = "body" + Literals.Number(_buffers++);
        Writer.WriteLine($"var {buffer} = new {Runtime}TemplateBuffer();");
        WriteTemplate(buffer, template);
        Writer.WriteLine($"await session.SendAsync({buffer});");
    }
}
