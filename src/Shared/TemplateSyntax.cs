// Shared source: the template language (spec T-1, T-2, T-4, T-6, T-8), compiled into the generator (which maps the
// results to its model and diagnostics) and into the runtime (which renders external bodies loaded per request with
// it). Internal in both, so build time and run time accept and refuse exactly the same tags.
using System;

#if MOCLOJER_RUNTIME
namespace Moclojer.Runtime;
#else
namespace Moclojer.Generators.Shared;
#endif

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

/// <summary>Where a template's text goes, which decides how values inserted into it are escaped.</summary>
internal enum TemplateKind
{
    /// <summary>Bodies: follow the literal text to know whether each insertion is inside a JSON string (T-6).</summary>
    Body,
    /// <summary>Strings of a YAML mapping body turned into JSON: every insertion is inside a JSON string (S-5).</summary>
    JsonString,
    /// <summary>Headers and urls: raw insertion; the header or url rule is applied to the value.</summary>
    Raw,
}

/// <summary>Why a tag or a variable expression was refused (T-1, T-2, T-4, T-8).</summary>
internal enum TemplateTagError
{
    None,
    /// <summary><c>{{ }}</c> (T-8).</summary>
    Empty,
    /// <summary>A Handlebars/Mustache helper or block: <c>{{#if}}</c>, <c>{{/if}}</c>, <c>{{else}}</c>, <c>{{&gt;x}}</c> (T-1).</summary>
    Helper,
    /// <summary>A filter: <c>{{x|upper}}</c> (T-1).</summary>
    Filter,
    /// <summary>Spaces, parentheses, brackets, quotes or <c>%</c> inside the tag: not one variable (T-1).</summary>
    NotOneVariable,
    /// <summary>A root that needs a name has none (<c>path-params</c>, <c>query-params.</c>, <c>json-params.a..b</c>).</summary>
    MissingName,
    /// <summary>The root is none of the T-2 roots (<c>request.id</c>, <c>headers.x</c>, a bare word).</summary>
    UnknownSource,
}

/// <summary>What a template scan step found.</summary>
internal enum TemplateTokenKind
{
    /// <summary>Literal text.</summary>
    Literal,
    /// <summary>A tag <c>{{ … }}</c>, braces included.</summary>
    Tag,
    /// <summary>A <c>{{</c> with no matching <c>}}</c>: the rest of the text (T-8).</summary>
    Unterminated,
}

/// <summary>
/// One piece of a template: <see cref="Start"/> and <see cref="Length"/> cover it in the template's text (for a tag,
/// the braces too). <see cref="InJsonString"/> says, for a tag, whether its value is inserted inside a JSON string (T-6).
/// </summary>
internal readonly record struct TemplateToken(TemplateTokenKind Kind, int Start, int Length, bool InJsonString)
{
    /// <summary>For a tag: where the text between the braces starts.</summary>
    public int InnerStart => Start + 2;

    /// <summary>For a tag: the length of the text between the braces.</summary>
    public int InnerLength => Length - 4;
}

/// <summary>
/// Splits a template into literal runs and tags (T-1, T-8), following the literal text to know whether each tag stands
/// inside a JSON string (T-6). This is the one place that decides it, for compiled and run-time templates alike.
/// </summary>
internal struct TemplateScanner
{
    private readonly string _text;
    private readonly TemplateKind _kind;
    private int _position;
    private bool _inString;
    private bool _escaped;

    public TemplateScanner(string text, TemplateKind kind)
    {
        _text = text;
        _kind = kind;
        _position = 0;
        _inString = false;
        _escaped = false;
    }

    /// <summary>The next piece of the template; false at the end.</summary>
    public bool Next(out TemplateToken token)
    {
        var start = _position;
        if (start >= _text.Length)
        {
            token = default;
            return false;
        }
        var open = _text.IndexOf("{{", start, StringComparison.Ordinal);
        if (open != start)
        {
            var end = open < 0 ? _text.Length : open;
            Follow(start, end);
            _position = end;
            token = new TemplateToken(TemplateTokenKind.Literal, start, end - start, false);
            return true;
        }
        var close = _text.IndexOf("}}", start + 2, StringComparison.Ordinal);
        if (close < 0)
        {
            _position = _text.Length;
            token = new TemplateToken(TemplateTokenKind.Unterminated, start, _text.Length - start, false);
            return true;
        }
        _position = close + 2;
        var inJsonString = _kind switch
        {
            TemplateKind.Body => _inString,
            TemplateKind.JsonString => true,
            _ => false,
        };
        token = new TemplateToken(TemplateTokenKind.Tag, start, _position - start, inJsonString);
        return true;
    }

    /// <summary>
    /// T-6 over literal text: an unescaped <c>"</c> opens or closes a string; inside one, <c>\</c> escapes the next
    /// character. Tags are not literal text: an escape pending before a tag applies to the literal after it.
    /// </summary>
    private void Follow(int start, int end)
    {
        if (_kind != TemplateKind.Body)
        {
            return;
        }
        for (var i = start; i < end; i++)
        {
            var c = _text[i];
            if (_inString)
            {
                if (_escaped)
                {
                    _escaped = false;
                }
                else if (c == '\\')
                {
                    _escaped = true;
                }
                else if (c == '"')
                {
                    _inString = false;
                }
            }
            else if (c == '"')
            {
                _inString = true;
            }
        }
    }
}

/// <summary>The tag and variable grammar shared by templates (T-1, T-2, T-4, T-8) and conditions (C-2).</summary>
internal static class TemplateSyntax
{
    public const string PathParamsRoot = "path-params";
    public const string QueryParamsRoot = "query-params";
    public const string JsonParamsRoot = "json-params";
    public const string HeaderParamsRoot = "header-params";
    public const string NowRoot = "now";
    public const string UuidRoot = "uuid";
    public const string MessageRoot = "message";

    private static readonly string[] NoPath = Array.Empty<string>();

    /// <summary>How a root is written.</summary>
    public static string RootName(VariableSource source) => source switch
    {
        VariableSource.PathParams => PathParamsRoot,
        VariableSource.QueryParams => QueryParamsRoot,
        VariableSource.JsonParams => JsonParamsRoot,
        VariableSource.HeaderParams => HeaderParamsRoot,
        VariableSource.Now => NowRoot,
        VariableSource.Message => MessageRoot,
        _ => UuidRoot,
    };

    /// <summary>
    /// Reads the text between a tag's braces (T-1, T-8), already trimmed. <paramref name="allowMessage"/> admits
    /// <c>message</c> (websocket responses, WS-3). On success, <paramref name="source"/> and <paramref name="path"/>
    /// are as <see cref="ReadVariable"/> gives them.
    /// </summary>
    public static TemplateTagError ReadTag(string expression, bool allowMessage, out VariableSource source, out string[] path)
    {
        source = default;
        path = NoPath;
        if (expression.Length == 0)
        {
            return TemplateTagError.Empty;
        }
        var first = expression[0];
        if (first is '#' or '/' or '^' or '>' or '!' or '{' or '&' || expression == "else" || expression.StartsWith("else ", StringComparison.Ordinal))
        {
            return TemplateTagError.Helper;
        }
        if (expression.IndexOf('|') >= 0)
        {
            return TemplateTagError.Filter;
        }
        foreach (var c in expression)
        {
            if (char.IsWhiteSpace(c) || c is '(' or ')' or '"' or '\'' or '[' or ']' or '%')
            {
                return TemplateTagError.NotOneVariable;
            }
        }
        if (allowMessage && expression == MessageRoot)
        {
            source = VariableSource.Message;
            return TemplateTagError.None;
        }
        return ReadVariable(expression, out source, out path);
    }

    /// <summary>
    /// Reads a variable expression such as <c>json-params.a.0</c> or <c>header-params.X-Api-Key</c> (T-2, T-4).
    /// For <c>json-params</c>, <paramref name="path"/> holds the access segments (possibly none: the whole body); for
    /// path, query and header parameters, one element: the name (everything after the first dot); otherwise none.
    /// </summary>
    public static TemplateTagError ReadVariable(string expression, out VariableSource source, out string[] path)
    {
        source = default;
        path = NoPath;
        switch (expression)
        {
            case NowRoot:
                source = VariableSource.Now;
                return TemplateTagError.None;
            case UuidRoot:
                source = VariableSource.Uuid;
                return TemplateTagError.None;
        }

        var dot = expression.IndexOf('.');
        var root = dot < 0 ? expression : expression.Substring(0, dot);
        var rest = dot < 0 ? null : expression.Substring(dot + 1);
        switch (root)
        {
            case JsonParamsRoot:
                source = VariableSource.JsonParams;
                if (rest is null)
                {
                    return TemplateTagError.None;
                }
                var segments = rest.Split('.');
                if (Array.IndexOf(segments, string.Empty) >= 0)
                {
                    return TemplateTagError.MissingName;
                }
                path = segments;
                return TemplateTagError.None;
            case PathParamsRoot:
            case QueryParamsRoot:
            case HeaderParamsRoot:
                if (string.IsNullOrEmpty(rest))
                {
                    return TemplateTagError.MissingName;
                }
                source = root == PathParamsRoot ? VariableSource.PathParams
                    : root == QueryParamsRoot ? VariableSource.QueryParams
                    : VariableSource.HeaderParams;
                path = [rest!];
                return TemplateTagError.None;
            default:
                return TemplateTagError.UnknownSource;
        }
    }

    /// <summary>Why a tag was refused, in words that fit after "invalid template tag '{{…}}': ".</summary>
    public static string Reason(TemplateTagError error) => error switch
    {
        TemplateTagError.Empty => "an empty tag",
        TemplateTagError.Helper => "Handlebars/Mustache helpers and blocks are not template syntax",
        TemplateTagError.Filter => "filters are not supported",
        TemplateTagError.NotOneVariable => "a tag holds exactly one variable",
        TemplateTagError.MissingName => "the variable needs a name after its root, such as path-params.id",
        TemplateTagError.UnknownSource => "it is not a template variable (path-params, query-params, json-params, header-params, now, uuid)",
        _ => string.Empty,
    };
}
