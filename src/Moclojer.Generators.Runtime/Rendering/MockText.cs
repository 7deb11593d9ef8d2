using System.Text;

namespace Moclojer.Runtime;

/// <summary>Escaping rules for the places a template can write to other than bodies.</summary>
public static class MockText
{
    /// <summary>
    /// Header values (S-2, W-8), one rule for response and webhook headers: the value goes in raw, except what a header
    /// line cannot carry. Control characters (U+0000-U+001F except tab, and U+007F: CR and LF among them, so no header
    /// can be injected) are removed, and every character outside ASCII is percent-encoded as its UTF-8 bytes
    /// (<c>café</c> becomes <c>caf%C3%A9</c>, U+2028 becomes <c>%E2%80%A8</c>). A <c>%</c> already in the value is left
    /// as it is.
    /// </summary>
    public static string HeaderValue(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }
        var clean = true;
        foreach (var c in value)
        {
            if (!IsHeaderSafe(c))
            {
                clean = false;
                break;
            }
        }
        if (clean)
        {
            return value;
        }
        var builder = new StringBuilder(value.Length + 16);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsHeaderSafe(c))
            {
                builder.Append(c);
            }
            else if (c >= 0x80)
            {
                // A surrogate pair is one character; a lone surrogate becomes U+FFFD.
                var rune = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])
                    ? new Rune(c, value[++i])
                    : Rune.TryCreate(c, out var single) ? single : Rune.ReplacementChar;
                var length = rune.EncodeToUtf8(utf8);
                foreach (var b in utf8[..length])
                {
                    builder.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
                }
            }
            // Other control characters are dropped.
        }
        return builder.ToString();
    }

    private static bool IsHeaderSafe(char c) => c is '\t' or (>= ' ' and < (char)0x7F);

    /// <summary>
    /// Url path and query values: every UTF-8 byte except A-Z a-z 0-9 - _ . ~ becomes %XX (W-3).
    /// </summary>
    public static string UrlComponent(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append("0123456789ABCDEF"[b >> 4]).Append("0123456789ABCDEF"[b & 0xF]);
            }
        }
        return builder.ToString();
    }
}
