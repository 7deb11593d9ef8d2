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
            JsonTemplate.Follow(_text[i], ref _inString, ref _escaped);
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

/// <summary>
/// Where a template read as JSON stops being one JSON document (S-11, V-21): the offset in the template's text, what
/// a JSON document needs there (<c>',' or '}'</c>), and what stands there instead.
/// </summary>
internal readonly record struct JsonTemplateError(int Offset, string Expected, string Found);

/// <summary>
/// JSON bodies (S-11, T-3, T-6): a template whose text, with every tag outside a JSON string read as a value and every
/// tag inside one read as string content, is one JSON document. The generator checks bodies with it when the project
/// builds (warning V-21, minified literal parts) and the runtime checks external bodies loaded per request, so both
/// decide alike. It reads tags exactly where <see cref="TemplateScanner"/> finds them.
/// </summary>
internal static class JsonTemplate
{
    /// <summary>
    /// T-6 for one literal character: an unescaped <c>"</c> opens or closes a string; inside one, <c>\</c> escapes the
    /// next character.
    /// </summary>
    public static void Follow(char c, ref bool inString, ref bool escaped)
    {
        if (!inString)
        {
            inString = c == '"';
        }
        else if (escaped)
        {
            escaped = false;
        }
        else if (c == '\\')
        {
            escaped = true;
        }
        else if (c == '"')
        {
            inString = false;
        }
    }

    /// <summary>
    /// T-6: whether a text value is exactly a JSON number, <c>true</c>, <c>false</c> or <c>null</c>, and so goes into a
    /// value position as it is (anything else goes in as a JSON string).
    /// </summary>
    public static bool IsLiteral(string? text)
    {
        if (text is null || text.Length == 0)
        {
            return false;
        }
        if (text is "true" or "false" or "null")
        {
            return true;
        }
        var i = 0;
        if (text[i] == '-')
        {
            i++;
        }
        if (i < text.Length && text[i] == '0')
        {
            i++;
        }
        else if (!Digits(text, ref i))
        {
            return false;
        }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (!Digits(text, ref i))
            {
                return false;
            }
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }
            if (!Digits(text, ref i))
            {
                return false;
            }
        }
        return i == text.Length;

        static bool Digits(string s, ref int i)
        {
            var start = i;
            while (i < s.Length && s[i] is >= '0' and <= '9')
            {
                i++;
            }
            return i > start;
        }
    }

    /// <summary>
    /// WS-3 (websocket messages have no Content-Type): a message is JSON when it starts, after whitespace, with a
    /// literal <c>{</c> or <c>[</c> and is one JSON document; any other message is text.
    /// </summary>
    public static bool IsJsonDocument(string text)
    {
        var i = 0;
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\r')
        {
            i++;
        }
        if (i >= text.Length || !(text[i] == '[' || (text[i] == '{' && (i + 1 >= text.Length || text[i + 1] != '{'))))
        {
            return false;
        }
        return Check(text) is null;
    }

    /// <summary>
    /// Whitespace outside JSON strings removed from <paramref name="length"/> characters of literal text, following
    /// strings with <see cref="Follow"/> from the state the previous literal left (S-11). Only for a template that
    /// <see cref="Check"/> accepted, where a tag never stands between a <c>\</c> and the character it escapes.
    /// </summary>
    public static string Compact(string text, int start, int length, ref bool inString, ref bool escaped)
    {
        var compact = new System.Text.StringBuilder(length);
        for (var i = start; i < start + length; i++)
        {
            var c = text[i];
            if (!inString && c is ' ' or '\t' or '\n' or '\r')
            {
                continue;
            }
            compact.Append(c);
            Follow(c, ref inString, ref escaped);
        }
        return compact.ToString();
    }

    /// <summary>
    /// S-11, V-21: null when <paramref name="text"/>, tags outside strings read as values and tags inside strings as
    /// string content, is one JSON document; otherwise the first place where it breaks. A template with an unterminated
    /// tag is not checked (null): that is a template error of its own (T-8).
    /// </summary>
    public static JsonTemplateError? Check(string text)
    {
        var starts = new System.Collections.Generic.List<int>();
        var ends = new System.Collections.Generic.List<int>();
        var scanner = new TemplateScanner(text, TemplateKind.Body);
        while (scanner.Next(out var token))
        {
            if (token.Kind == TemplateTokenKind.Unterminated)
            {
                return null;
            }
            if (token.Kind == TemplateTokenKind.Tag)
            {
                starts.Add(token.Start);
                ends.Add(token.Start + token.Length);
            }
        }

        var lexer = new JsonLexer(text, starts, ends);
        var open = new System.Collections.Generic.List<char>();
        var state = Expect.Value;
        while (true)
        {
            var token = lexer.Next();
            if (lexer.Error is { } lexical)
            {
                return lexical;
            }
            switch (state)
            {
                case Expect.Value:
                case Expect.ValueOrArrayEnd:
                    if (state == Expect.ValueOrArrayEnd && token == JsonToken.EndArray)
                    {
                        state = Close(open);
                    }
                    else if (token == JsonToken.BeginObject)
                    {
                        open.Add('{');
                        state = Expect.KeyOrObjectEnd;
                    }
                    else if (token == JsonToken.BeginArray)
                    {
                        open.Add('[');
                        state = Expect.ValueOrArrayEnd;
                    }
                    else if (token is JsonToken.String or JsonToken.Value)
                    {
                        state = After(open);
                    }
                    else
                    {
                        return lexer.Fail(state == Expect.Value ? "expected a value" : "expected a value or ']'");
                    }
                    break;
                case Expect.KeyOrObjectEnd:
                case Expect.Key:
                    if (token == JsonToken.String)
                    {
                        state = Expect.Colon;
                    }
                    else if (state == Expect.KeyOrObjectEnd && token == JsonToken.EndObject)
                    {
                        state = Close(open);
                    }
                    else
                    {
                        return lexer.Fail(state == Expect.Key ? "expected a key (a string)" : "expected a key (a string) or '}'");
                    }
                    break;
                case Expect.Colon:
                    if (token != JsonToken.Colon)
                    {
                        return lexer.Fail("expected ':'");
                    }
                    state = Expect.Value;
                    break;
                case Expect.CommaOrObjectEnd:
                    if (token == JsonToken.Comma)
                    {
                        state = Expect.Key;
                    }
                    else if (token == JsonToken.EndObject)
                    {
                        state = Close(open);
                    }
                    else
                    {
                        return lexer.Fail("expected ',' or '}'");
                    }
                    break;
                case Expect.CommaOrArrayEnd:
                    if (token == JsonToken.Comma)
                    {
                        state = Expect.Value;
                    }
                    else if (token == JsonToken.EndArray)
                    {
                        state = Close(open);
                    }
                    else
                    {
                        return lexer.Fail("expected ',' or ']'");
                    }
                    break;
                default:
                    return token == JsonToken.End ? null : lexer.Fail("expected the end of the body");
            }
        }

        static Expect Close(System.Collections.Generic.List<char> open)
        {
            open.RemoveAt(open.Count - 1);
            return After(open);
        }

        static Expect After(System.Collections.Generic.List<char> open) =>
            open.Count == 0 ? Expect.End : open[open.Count - 1] == '{' ? Expect.CommaOrObjectEnd : Expect.CommaOrArrayEnd;
    }

    private enum Expect
    {
        Value,
        ValueOrArrayEnd,
        KeyOrObjectEnd,
        Key,
        Colon,
        CommaOrObjectEnd,
        CommaOrArrayEnd,
        End,
    }

    private enum JsonToken
    {
        BeginObject,
        EndObject,
        BeginArray,
        EndArray,
        Colon,
        Comma,
        /// <summary>A string, tags inside it included.</summary>
        String,
        /// <summary>A number, <c>true</c>, <c>false</c>, <c>null</c>, or a tag outside a string.</summary>
        Value,
        /// <summary>Anything else: a word such as <c>pong</c>, or a character that starts no JSON token.</summary>
        Other,
        End,
    }

    /// <summary>JSON tokens of a template's text; a tag outside a string is one value token, inside one it is content.</summary>
    private sealed class JsonLexer(string text, System.Collections.Generic.List<int> tagStarts, System.Collections.Generic.List<int> tagEnds)
    {
        private int _tag;
        private int _position;
        private int _start;

        public JsonTemplateError? Error { get; private set; }

        /// <summary>The error for the token just read: <paramref name="expected"/> there, and what stands there instead.</summary>
        public JsonTemplateError Fail(string expected) => new(_start, expected, Found(_start));

        public JsonToken Next()
        {
            while (_position < text.Length && !TagAt(_position) && text[_position] is ' ' or '\t' or '\n' or '\r')
            {
                _position++;
            }
            _start = _position;
            if (_position >= text.Length)
            {
                return JsonToken.End;
            }
            if (TagAt(_position))
            {
                _position = tagEnds[_tag];
                return JsonToken.Value;
            }
            var c = text[_position];
            switch (c)
            {
                case '{': _position++; return JsonToken.BeginObject;
                case '}': _position++; return JsonToken.EndObject;
                case '[': _position++; return JsonToken.BeginArray;
                case ']': _position++; return JsonToken.EndArray;
                case ':': _position++; return JsonToken.Colon;
                case ',': _position++; return JsonToken.Comma;
                case '"': return ReadString();
            }
            if (c == '-' || c is >= '0' and <= '9')
            {
                return ReadNumber();
            }
            if (char.IsLetter(c))
            {
                var end = _position;
                while (end < text.Length && !TagAt(end) && char.IsLetterOrDigit(text[end]))
                {
                    end++;
                }
                var word = text.Substring(_position, end - _position);
                if (word is "true" or "false" or "null")
                {
                    _position = end;
                    return JsonToken.Value;
                }
            }
            return JsonToken.Other;
        }

        private JsonToken ReadString()
        {
            _position++;
            while (true)
            {
                if (_position >= text.Length)
                {
                    return Lexical(_position, "expected '\"' to close the string");
                }
                if (TagAt(_position))
                {
                    _position = tagEnds[_tag];
                    continue;
                }
                var c = text[_position];
                if (c == '"')
                {
                    _position++;
                    return JsonToken.String;
                }
                if (c < 0x20)
                {
                    return Lexical(_position, "expected an escape such as \\n instead of a control character inside a string");
                }
                _position++;
                if (c != '\\')
                {
                    continue;
                }
                if (_position >= text.Length || TagAt(_position) || "\"\\/bfnrtu".IndexOf(text[_position]) < 0)
                {
                    return Lexical(_position, "expected an escape character (one of \" \\ / b f n r t u) after '\\'");
                }
                if (text[_position++] == 'u')
                {
                    for (var k = 0; k < 4; k++, _position++)
                    {
                        if (_position >= text.Length || TagAt(_position) || !Uri.IsHexDigit(text[_position]))
                        {
                            return Lexical(_position, "expected four hexadecimal digits after '\\u'");
                        }
                    }
                }
            }
        }

        private JsonToken ReadNumber()
        {
            if (text[_position] == '-')
            {
                _position++;
            }
            if (Digit(_position) && text[_position] == '0')
            {
                _position++;
            }
            else if (!Digits())
            {
                return Lexical(_position, "expected a digit");
            }
            if (_position < text.Length && !TagAt(_position) && text[_position] == '.')
            {
                _position++;
                if (!Digits())
                {
                    return Lexical(_position, "expected a digit after '.'");
                }
            }
            if (_position < text.Length && !TagAt(_position) && text[_position] is 'e' or 'E')
            {
                _position++;
                if (_position < text.Length && !TagAt(_position) && text[_position] is '+' or '-')
                {
                    _position++;
                }
                if (!Digits())
                {
                    return Lexical(_position, "expected a digit in the exponent");
                }
            }
            return JsonToken.Value;
        }

        private bool Digits()
        {
            var start = _position;
            while (Digit(_position))
            {
                _position++;
            }
            return _position > start;
        }

        private bool Digit(int i) => i < text.Length && !TagAt(i) && text[i] is >= '0' and <= '9';

        private JsonToken Lexical(int offset, string expected)
        {
            Error = new JsonTemplateError(offset, expected, Found(offset));
            return JsonToken.End;
        }

        /// <summary>Whether a tag starts at <paramref name="i"/>; positions are asked in increasing order.</summary>
        private bool TagAt(int i)
        {
            while (_tag < tagStarts.Count && tagStarts[_tag] < i)
            {
                _tag++;
            }
            return _tag < tagStarts.Count && tagStarts[_tag] == i;
        }

        private string Found(int offset)
        {
            if (offset >= text.Length)
            {
                return "the end of the body";
            }
            var end = offset;
            while (end < text.Length && end - offset < 12 && text[end] is not ('\n' or '\r'))
            {
                end++;
            }
            var excerpt = text.Substring(offset, end - offset);
            return excerpt.Length == 0 ? "a line break" : "'" + excerpt + (end < text.Length && text[end] is not ('\n' or '\r') ? "…'" : "'");
        }
    }
}
