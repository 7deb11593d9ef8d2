namespace Moclojer.Generators.Model;

/// <summary>The roots a template or condition can read (spec T-2).</summary>
internal enum VariableSource
{
    PathParams,
    QueryParams,
    JsonParams,
    HeaderParams,
    Now,
    Uuid,
    /// <summary>WS-3: the text of the websocket message being answered (websocket responses only).</summary>
    Message,
}

/// <summary>
/// One variable reference such as <c>json-params.items.0.price</c>. For <see cref="VariableSource.JsonParams"/>
/// <see cref="Path"/> holds the access segments (possibly none: the whole body); for path, query and header
/// parameters it holds exactly one element, the name (everything after the first dot, T-4); for now/uuid, none.
/// </summary>
internal sealed record VariableRef(VariableSource Source, EquatableArray<string> Path)
{
    public string Name => Path.Count > 0 ? Path[0] : string.Empty;

    public override string ToString() => Source switch
    {
        VariableSource.Now => "now",
        VariableSource.Uuid => "uuid",
        VariableSource.Message => "message",
        _ => VariableParser.RootName(Source) + (Path.IsEmpty ? string.Empty : "." + string.Join(".", Path)),
    };
}
