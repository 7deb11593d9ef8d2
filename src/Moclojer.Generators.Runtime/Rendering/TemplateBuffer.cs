using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Moclojer.Runtime;

/// <summary>
/// A pooled UTF-8 buffer that compiled templates write into: literal parts as pre-encoded bytes, values either
/// raw, JSON-escaped, or as JSON values in a JSON body, as decided at build time from the template's text (T-6, S-11).
/// </summary>
public sealed class TemplateBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer;
    private int _written;

    public TemplateBuffer(int initialCapacity = 512)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public int Length => _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Append(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(GetSpan(utf8.Length));
        _written += utf8.Length;
    }

    /// <summary>Inserts a value outside a JSON string: as it is (T-6). Null (missing) inserts nothing (T-3).</summary>
    public void AppendRaw(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        var span = GetSpan(Encoding.UTF8.GetMaxByteCount(value.Length));
        _written += Encoding.UTF8.GetBytes(value, span);
    }

    /// <summary>
    /// Inserts a value inside a JSON string literal: only '"', '\' and U+0000-U+001F are escaped, so request data
    /// can never end the string, while non-ASCII text and '/' pass through unchanged (T-6).
    /// </summary>
    public void AppendJsonEscaped(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '"' or '\\' || c < 0x20)
            {
                AppendRaw(value.AsSpan(start, i - start));
                AppendEscape(c);
                start = i + 1;
            }
        }
        AppendRaw(value.AsSpan(start));
    }

    /// <summary>
    /// Inserts a text value (path, query or header parameter, message) in a value position of a JSON body (T-6):
    /// as it is when it is exactly a JSON number, <c>true</c>, <c>false</c> or <c>null</c>, otherwise as a JSON string,
    /// so request data can never add keys; missing is <c>null</c> (T-3).
    /// </summary>
    public void AppendJsonValue(string? value)
    {
        if (value is null)
        {
            Append("null"u8);
        }
        else if (JsonTemplate.IsLiteral(value))
        {
            AppendRaw(value.AsSpan());
        }
        else
        {
            AppendJsonString(value);
        }
    }

    /// <summary>Inserts a value as a quoted JSON string (T-6), escaped as inside a string; missing is <c>null</c> (T-3).</summary>
    public void AppendJsonString(string? value)
    {
        if (value is null)
        {
            Append("null"u8);
            return;
        }
        Append("\""u8);
        AppendJsonEscaped(value);
        Append("\""u8);
    }

    /// <summary>
    /// Inserts a json-params value in a value position of a JSON body in its JSON form (T-6): strings quoted and
    /// escaped, numbers with their request text, objects and arrays compact; missing or undefined is <c>null</c> (T-3).
    /// </summary>
    public void AppendJson(JsonElement value) => MockJson.WriteJson(this, value);

    /// <summary><see cref="AppendJson(JsonElement)"/> for the value at an access path (T-4).</summary>
    public void AppendJson(JsonElement root, string[] path) => MockJson.WriteJson(this, root, path);

    internal void AppendRaw(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return;
        }
        var span = GetSpan(Encoding.UTF8.GetMaxByteCount(chars.Length));
        _written += Encoding.UTF8.GetBytes(chars, span);
    }

    private void AppendEscape(char c)
    {
        switch (c)
        {
            case '"': Append("\\\""u8); break;
            case '\\': Append("\\\\"u8); break;
            case '\n': Append("\\n"u8); break;
            case '\r': Append("\\r"u8); break;
            case '\t': Append("\\t"u8); break;
            case '\b': Append("\\b"u8); break;
            case '\f': Append("\\f"u8); break;
            default:
                var span = GetSpan(6);
                "\\u00"u8.CopyTo(span);
                span[4] = HexDigit(c >> 4);
                span[5] = HexDigit(c & 0xF);
                _written += 6;
                break;
        }
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1)
        {
            sizeHint = 1;
        }
        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _written + sizeHint));
        _buffer.AsSpan(0, _written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
