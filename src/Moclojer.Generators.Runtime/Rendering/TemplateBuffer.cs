using System.Buffers;
using System.Text;

namespace Moclojer.Runtime;

/// <summary>
/// A pooled UTF-8 buffer that compiled templates write into: literal parts as pre-encoded bytes, values either
/// raw or JSON-escaped, as decided at build time from the template's text (T-6).
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
