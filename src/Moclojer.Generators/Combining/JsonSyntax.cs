namespace Moclojer.Generators.Combining;

/// <summary>
/// Whether a text is one JSON document (RFC 8259), so the API documents can show a static JSON body as the value it
/// is rather than as a string. Strict: no comments, no trailing commas, nesting bounded.
/// </summary>
internal static class JsonSyntax
{
    private const int MaxDepth = 256;

    public static bool IsDocument(string text)
    {
        var position = 0;
        SkipWhitespace(text, ref position);
        if (!Value(text, ref position, 0))
        {
            return false;
        }
        SkipWhitespace(text, ref position);
        return position == text.Length;
    }

    private static bool Value(string text, ref int i, int depth)
    {
        if (i >= text.Length || depth > MaxDepth)
        {
            return false;
        }
        switch (text[i])
        {
            case '{':
                return Container(text, ref i, depth, '}', isObject: true);
            case '[':
                return Container(text, ref i, depth, ']', isObject: false);
            case '"':
                return String(text, ref i);
            case 't':
                return Literal(text, ref i, "true");
            case 'f':
                return Literal(text, ref i, "false");
            case 'n':
                return Literal(text, ref i, "null");
            default:
                return Number(text, ref i);
        }
    }

    private static bool Container(string text, ref int i, int depth, char close, bool isObject)
    {
        i++;
        SkipWhitespace(text, ref i);
        if (i < text.Length && text[i] == close)
        {
            i++;
            return true;
        }
        while (true)
        {
            if (isObject)
            {
                if (i >= text.Length || text[i] != '"' || !String(text, ref i))
                {
                    return false;
                }
                SkipWhitespace(text, ref i);
                if (i >= text.Length || text[i] != ':')
                {
                    return false;
                }
                i++;
                SkipWhitespace(text, ref i);
            }
            if (!Value(text, ref i, depth + 1))
            {
                return false;
            }
            SkipWhitespace(text, ref i);
            if (i >= text.Length)
            {
                return false;
            }
            if (text[i] == close)
            {
                i++;
                return true;
            }
            if (text[i] != ',')
            {
                return false;
            }
            i++;
            SkipWhitespace(text, ref i);
        }
    }

    private static bool String(string text, ref int i)
    {
        i++;
        while (i < text.Length)
        {
            var c = text[i++];
            if (c == '"')
            {
                return true;
            }
            if (c < 0x20)
            {
                return false;
            }
            if (c == '\\')
            {
                if (i >= text.Length)
                {
                    return false;
                }
                var escape = text[i++];
                if (escape == 'u')
                {
                    for (var k = 0; k < 4; k++, i++)
                    {
                        if (i >= text.Length || !Uri.IsHexDigit(text[i]))
                        {
                            return false;
                        }
                    }
                }
                else if (escape is not ('"' or '\\' or '/' or 'b' or 'f' or 'n' or 'r' or 't'))
                {
                    return false;
                }
            }
        }
        return false;
    }

    private static bool Literal(string text, ref int i, string literal)
    {
        if (string.CompareOrdinal(text, i, literal, 0, literal.Length) != 0)
        {
            return false;
        }
        i += literal.Length;
        return true;
    }

    private static bool Number(string text, ref int i)
    {
        var start = i;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }
        if (i >= text.Length || !IsDigit(text[i]))
        {
            return false;
        }
        if (text[i] == '0')
        {
            i++;
        }
        else
        {
            Digits(text, ref i);
        }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (i >= text.Length || !IsDigit(text[i]))
            {
                return false;
            }
            Digits(text, ref i);
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }
            if (i >= text.Length || !IsDigit(text[i]))
            {
                return false;
            }
            Digits(text, ref i);
        }
        return i > start;
    }

    private static void Digits(string text, ref int i)
    {
        while (i < text.Length && IsDigit(text[i]))
        {
            i++;
        }
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static void SkipWhitespace(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\r')
        {
            i++;
        }
    }
}
