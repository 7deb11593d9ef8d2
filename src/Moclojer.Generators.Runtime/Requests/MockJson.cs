using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Moclojer.Runtime;

/// <summary>Access paths into the request's JSON body (T-4, T-5, J-2).</summary>
public static class MockJson
{
    private static readonly JsonWriterOptions CompactWriter = new()
    {
        Indented = false,
        // Non-ASCII and "/" pass through; quotes and control characters are still escaped, as JSON requires.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// S-8: the body as a JSON document, or null when it is unreadable: not JSON, not valid UTF-8, or holding a string
    /// that cannot become text (an escaped lone surrogate such as <c>"\ud800"</c>). Every string of a returned
    /// document can be read, so no template, condition or webhook that uses it can fail on the client's data.
    /// </summary>
    internal static JsonDocument? TryParse(ReadOnlySequence<byte> body)
    {
        if (!IsUtf8(body) || (body.PositionOf((byte)'\\') is not null && !EscapesAreReadable(body)))
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null; // S-8: a body that is not JSON leaves json-params empty.
        }
    }

    /// <summary>Whether the bytes are well-formed UTF-8 (a sequence may split a character between its segments).</summary>
    private static bool IsUtf8(ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment)
        {
            return Utf8.IsValid(body.FirstSpan);
        }
        var decoder = StrictUtf8.GetDecoder();
        try
        {
            var position = body.Start;
            while (body.TryGet(ref position, out var segment))
            {
                decoder.GetCharCount(segment.Span, flush: false);
            }
            decoder.GetCharCount([], flush: true);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Whether every escaped string and property name decodes to text (no lone surrogate escapes).</summary>
    private static bool EscapesAreReadable(ReadOnlySequence<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    reader.GetString();
                }
            }
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// The text of the value at <paramref name="path"/> (T-5): strings as they are, numbers with their request
    /// text, booleans as true/false, objects and arrays as compact JSON; null when missing or JSON null (T-3).
    /// </summary>
    public static string? Text(JsonElement root, string[] path) =>
        Find(root, path, out var value, out var length) ? (length >= 0 ? length.ToString(CultureInfo.InvariantCulture) : Text(value)) : null;

    /// <summary>
    /// T-6: the value at <paramref name="path"/> in its JSON form, written compactly into <paramref name="output"/>;
    /// <c>null</c> when missing (T-3).
    /// </summary>
    internal static void WriteJson(TemplateBuffer output, JsonElement root, string[] path)
    {
        if (!Find(root, path, out var value, out var length))
        {
            output.Append("null"u8);
        }
        else if (length >= 0)
        {
            output.AppendRaw(length.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            WriteJson(output, value);
        }
    }

    /// <summary>T-6: one value in its JSON form: strings escaped as T-6 escapes them, objects and arrays compact.</summary>
    internal static void WriteJson(TemplateBuffer output, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                output.AppendJsonString(value.GetString());
                break;
            case JsonValueKind.Number:
                output.AppendRaw(value.GetRawText());
                break;
            case JsonValueKind.True:
                output.Append("true"u8);
                break;
            case JsonValueKind.False:
                output.Append("false"u8);
                break;
            case JsonValueKind.Object or JsonValueKind.Array:
                using (var writer = new Utf8JsonWriter(output, CompactWriter))
                {
                    value.WriteTo(writer);
                }
                break;
            default:
                output.Append("null"u8);
                break;
        }
    }

    /// <summary>
    /// T-4: walks <paramref name="path"/>; false when it leads nowhere. <paramref name="length"/> is the element count
    /// when the last segment is <c>length</c> on an array, otherwise -1 and <paramref name="value"/> is the value.
    /// </summary>
    private static bool Find(JsonElement root, string[] path, out JsonElement value, out int length)
    {
        value = root;
        length = -1;
        for (var i = 0; i < path.Length; i++)
        {
            var segment = path[i];
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    if (!value.TryGetProperty(segment, out value))
                    {
                        return false;
                    }
                    break;
                case JsonValueKind.Array:
                    if (segment == "length")
                    {
                        length = value.GetArrayLength();
                        return i == path.Length - 1;
                    }
                    if (!IsIndex(segment, out var index) || index >= value.GetArrayLength())
                    {
                        return false;
                    }
                    value = value[index];
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>The text of one value (T-5).</summary>
    public static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Object or JsonValueKind.Array => Compact(value),
        _ => null,
    };

    private static string Compact(JsonElement value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            value.WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool IsIndex(string segment, out int index)
    {
        index = 0;
        if (segment.Length == 0 || segment.Length > 9)
        {
            return false;
        }
        foreach (var c in segment)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            index = index * 10 + (c - '0');
        }
        return true;
    }
}
