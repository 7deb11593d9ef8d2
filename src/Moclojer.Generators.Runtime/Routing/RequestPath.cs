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
        var raw = RequestFeature(context)?.RawTarget;
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

    /// <summary>
    /// The path the router matches: the raw target up to "?" (escapes still in it, <paramref name="escaped"/> true), or
    /// for targets that are not origin-form the decoded path.
    /// </summary>
    internal static ReadOnlySpan<char> Target(HttpContext context, out bool escaped)
    {
        var raw = RequestFeature(context)?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            escaped = false;
            return context.Request.PathBase.Add(context.Request.Path).Value ?? "/";
        }
        var query = raw.IndexOf('?');
        escaped = true;
        return query < 0 ? raw.AsSpan() : raw.AsSpan(0, query);
    }

    /// <summary>
    /// The request's <see cref="IHttpRequestFeature"/>, through the collection's indexer: <c>Features.Get&lt;T&gt;()</c> is
    /// a generic virtual call, resolved at run time on every request, which costs more than Kestrel's lookup itself.
    /// </summary>
    internal static IHttpRequestFeature? RequestFeature(HttpContext context) =>
        context.Features[typeof(IHttpRequestFeature)] as IHttpRequestFeature;

    /// <summary>The number of segments of <paramref name="path"/> (which starts with "/"): "/" has none, "/a/" two.</summary>
    internal static int Count(ReadOnlySpan<char> path) => path.Length <= 1 ? 0 : path.Count('/');

    /// <summary>Writes the range of each segment of <paramref name="path"/> into <paramref name="ranges"/> (sized by <see cref="Count"/>).</summary>
    internal static void Ranges(ReadOnlySpan<char> path, Span<Range> ranges)
    {
        if (ranges.IsEmpty)
        {
            return;
        }
        // One pass over the path: segments are a few characters long, where a vectorized search per segment costs
        // more than it saves.
        var segment = 0;
        var start = 1;
        for (var i = 1; i < path.Length; i++)
        {
            if (path[i] == '/')
            {
                ranges[segment++] = new Range(start, i);
                start = i + 1;
            }
        }
        ranges[segment] = new Range(start, path.Length);
    }

    /// <summary>
    /// Percent-decodes every segment of <paramref name="path"/> as UTF-8 (P-6, "+" stays) into <paramref name="buffer"/>
    /// (at least as long as the path) and points <paramref name="ranges"/> at the decoded text, which it returns.
    /// </summary>
    internal static ReadOnlySpan<char> Decode(ReadOnlySpan<char> path, Span<Range> ranges, Span<char> buffer)
    {
        var written = 0;
        for (var i = 0; i < ranges.Length; i++)
        {
            var segment = path[ranges[i]];
            var start = written;
            if (segment.Contains('%') && Uri.TryUnescapeDataString(segment, buffer[written..], out var length))
            {
                written += length;
            }
            else
            {
                segment.CopyTo(buffer[written..]);
                written += segment.Length;
            }
            ranges[i] = new Range(start, written);
        }
        return buffer[..written];
    }

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
