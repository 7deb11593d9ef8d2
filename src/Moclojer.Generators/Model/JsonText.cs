using System.Globalization;
using System.Text;

namespace Moclojer.Generators.Model;

/// <summary>Writes JSON string literals at build time (swagger document, YAML bodies turned into JSON).</summary>
internal static class JsonText
{
    public static StringBuilder AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        // Runs of characters that need no escape are appended at once (an API document is megabytes of them).
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\')
            {
                continue;
            }
            json.Append(value, start, i - start);
            start = i + 1;
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                default: json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
            }
        }
        return json.Append(value, start, value.Length - start).Append('"');
    }
}
