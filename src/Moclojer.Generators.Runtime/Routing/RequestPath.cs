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
        string path;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            // Absolute-form or asterisk-form targets, and hosts without a raw target: use the decoded path.
            path = context.Request.PathBase.Add(context.Request.Path).Value ?? "/";
            return Split(path, decode: false);
        }
        var query = raw.IndexOf('?');
        path = query < 0 ? raw : raw.Substring(0, query);
        return Split(path, decode: true);
    }

    internal static string[] Split(string path, bool decode)
    {
        if (path.Length <= 1)
        {
            return [];
        }
        var parts = path.Substring(1).Split('/');
        if (decode)
        {
            for (var i = 0; i < parts.Length; i++)
            {
                if (parts[i].Contains('%'))
                {
                    parts[i] = Uri.UnescapeDataString(parts[i]);
                }
            }
        }
        return parts;
    }
}
