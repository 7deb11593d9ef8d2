using System.Collections.Immutable;
using Moclojer.Generators.Model;

namespace Moclojer.Generators;

/// <summary>Why a variable expression was refused.</summary>
internal enum VariableError
{
    None,
    /// <summary>The root is none of the T-2 roots (<c>request.id</c>, <c>headers.x</c>, a bare word).</summary>
    UnknownSource,
    /// <summary>A root that needs a name has none (<c>path-params</c>, <c>query-params.</c>).</summary>
    MissingName,
}

/// <summary>Reads the variable expressions shared by templates (T-2, T-4) and conditions (C-2).</summary>
internal static class VariableParser
{
    public const string PathParamsRoot = "path-params";
    public const string QueryParamsRoot = "query-params";
    public const string JsonParamsRoot = "json-params";
    public const string HeaderParamsRoot = "header-params";

    public static string RootName(VariableSource source) => source switch
    {
        VariableSource.PathParams => PathParamsRoot,
        VariableSource.QueryParams => QueryParamsRoot,
        VariableSource.JsonParams => JsonParamsRoot,
        VariableSource.HeaderParams => HeaderParamsRoot,
        VariableSource.Now => "now",
        VariableSource.Message => "message",
        _ => "uuid",
    };

    /// <summary>Parses a trimmed expression such as <c>json-params.a.0</c> or <c>header-params.X-Api-Key</c>.</summary>
    public static VariableError TryParse(string expression, out VariableRef? variable)
    {
        variable = null;
        if (expression == "now")
        {
            variable = new VariableRef(VariableSource.Now, EquatableArray<string>.Empty);
            return VariableError.None;
        }
        if (expression == "uuid")
        {
            variable = new VariableRef(VariableSource.Uuid, EquatableArray<string>.Empty);
            return VariableError.None;
        }

        var dot = expression.IndexOf('.');
        var root = dot < 0 ? expression : expression.Substring(0, dot);
        var rest = dot < 0 ? null : expression.Substring(dot + 1);

        switch (root)
        {
            case JsonParamsRoot:
                if (rest is null)
                {
                    variable = new VariableRef(VariableSource.JsonParams, EquatableArray<string>.Empty);
                    return VariableError.None;
                }
                var segments = rest.Split('.');
                foreach (var segment in segments)
                {
                    if (segment.Length == 0)
                    {
                        return VariableError.MissingName;
                    }
                }
                variable = new VariableRef(VariableSource.JsonParams, new EquatableArray<string>(ImmutableArray.Create(segments)));
                return VariableError.None;
            case PathParamsRoot:
            case QueryParamsRoot:
            case HeaderParamsRoot:
                if (string.IsNullOrEmpty(rest))
                {
                    return VariableError.MissingName;
                }
                var source = root == PathParamsRoot ? VariableSource.PathParams
                    : root == QueryParamsRoot ? VariableSource.QueryParams
                    : VariableSource.HeaderParams;
                variable = new VariableRef(source, new EquatableArray<string>(ImmutableArray.Create(rest!)));
                return VariableError.None;
            default:
                return VariableError.UnknownSource;
        }
    }
}
