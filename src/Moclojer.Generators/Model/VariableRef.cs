using System.Collections.Immutable;

namespace Moclojer.Generators.Model;

/// <summary>
/// One variable reference such as <c>json-params.items.0.price</c>. For <see cref="VariableSource.JsonParams"/>
/// <see cref="Path"/> holds the access segments (possibly none: the whole body); for path, query and header
/// parameters it holds exactly one element, the name (everything after the first dot, T-4); for now/uuid, none.
/// The grammar that produces these is <see cref="TemplateSyntax"/>, shared with the runtime.
/// </summary>
internal sealed record VariableRef(VariableSource Source, EquatableArray<string> Path)
{
    /// <summary>A reference from what <see cref="TemplateSyntax.ReadTag"/> or <see cref="TemplateSyntax.ReadVariable"/> gave.</summary>
    public static VariableRef From(VariableSource source, string[] path) =>
        new(source, path.Length == 0 ? EquatableArray<string>.Empty : new EquatableArray<string>(ImmutableArray.Create(path)));

    public string Name => Path.Count > 0 ? Path[0] : string.Empty;

    public override string ToString() =>
        TemplateSyntax.RootName(Source) + (Path.IsEmpty ? string.Empty : "." + string.Join(".", Path));
}
