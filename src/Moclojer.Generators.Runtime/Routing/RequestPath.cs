using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Moclojer.Runtime;

/// <summary>Splits the request target into percent-decoded segments (P-6, P-7).</summary>
public static class RequestPath
{
    /// <summary>
    /// Uses the raw request target, so an encoded "/" (%2F) stays inside its segment, and decodes each segment as
    /// UTF-8 ("+" stays "+"). "/" has no segments; "/a/" has two ("a" and "").
    /// </summary>
    public static string[] Segments(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            // Absolute-form or asterisk-form targets, and hosts without a raw target: use the decoded path.
            var path = context.Request.PathBase.Add(context.Request.Path).Value ?? "/";
            return Split(path.AsSpan(), decode: false);
        }
        // Split the raw target in place: only the segments themselves become strings (no copy of the path).
        var query = raw.IndexOf('?');
        return Split(query < 0 ? raw.AsSpan() : raw.AsSpan(0, query), decode: true);
    }

    internal static string[] Split(string path, bool decode) => Split(path.AsSpan(), decode);

    private static string[] Split(ReadOnlySpan<char> path, bool decode)
    {
        if (path.Length <= 1)
        {
            return [];
        }
        path = path.Slice(1);
        var parts = new string[path.Count('/') + 1];
        for (var i = 0; i < parts.Length; i++)
        {
            var slash = path.IndexOf('/');
            var segment = slash < 0 ? path : path.Slice(0, slash);
            parts[i] = decode && segment.Contains('%') ? Uri.UnescapeDataString(segment) : segment.ToString();
            path = slash < 0 ? default : path.Slice(slash + 1);
        }
        return parts;
    }
}
