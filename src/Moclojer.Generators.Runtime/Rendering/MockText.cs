using System.Text;

namespace Moclojer.Runtime;

/// <summary>Escaping rules for the places a template can write to other than bodies.</summary>
public static class MockText
{
    /// <summary>Header values: inserted as they are, with CR and LF removed so no header can be injected (S-2, W-8).</summary>
    public static string HeaderValue(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }
        if (value.IndexOfAny(['\r', '\n']) < 0)
        {
            return value;
        }
        return value.Replace("\r", string.Empty).Replace("\n", string.Empty);
    }

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
