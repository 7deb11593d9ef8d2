using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Moclojer.Runtime;

/// <summary>
/// How the request journal copies a request: the <see cref="RequestRecord"/> of an answered request, and the body a
/// handler left unread, read for the journal up to a cap. Shared by matched requests (<see cref="MockRequest"/>) and
/// the dispatcher's own answers (404, 405, built-in documents).
/// </summary>
internal static class RequestCapture
{
    /// <summary>How long the journal waits for a body the handler did not read (real time; a safety net).</summary>
    private static readonly TimeSpan UnreadBodyPatience = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The record of an answered request: its status is the response's, as it starts. The request is read through its
    /// <see cref="IHttpRequestFeature"/> and its headers copied at once: on Kestrel each <see cref="HttpRequest"/>
    /// property is a lookup of its own and the headers' enumerator walks every known header, which together cost more
    /// than the rest of the record.
    /// </summary>
    public static RequestRecord Record(
        HttpContext context, DateTimeOffset receivedAt, MockRoute? route, string[] pathValues, byte[]? body, bool truncated, NearMiss? nearMiss)
    {
        var request = RequestPath.RequestFeature(context)
            ?? throw new InvalidOperationException("The server gave the request no IHttpRequestFeature.");
        var requestHeaders = request.Headers;
        var pathBase = new PathString(request.PathBase);
        var path = new PathString(request.Path);
        return new RequestRecord
        {
            Method = request.Method,
            Path = (pathBase.HasValue ? pathBase.Add(path) : path).Value ?? "/",
            QueryString = request.QueryString ?? string.Empty,
            // The header as sent (HttpRequest.Host would parse it again on every request).
            Host = requestHeaders.Host.ToString(),
            Headers = CopyHeaders(requestHeaders),
            Body = body ?? ReadOnlyMemory<byte>.Empty,
            BodyTruncated = truncated,
            ReceivedAt = receivedAt,
            Endpoint = route?.Endpoint,
            StatusCode = context.Response.StatusCode,
            PathValues = pathValues,
            NearMiss = nearMiss,
        };
    }

    /// <summary>The request headers in the server's order (copied now: the server reuses its header collection).</summary>
    private static IReadOnlyList<KeyValuePair<string, string>> CopyHeaders(IHeaderDictionary requestHeaders)
    {
        var count = requestHeaders.Count;
        if (count == 0)
        {
            return [];
        }
        // CopyTo is the servers' fast path (Kestrel's goes over the headers present only). The values are immutable, so
        // the copy holds them as they are and joins a header's several values only when it is read.
        var headers = new KeyValuePair<string, StringValues>[count];
        requestHeaders.CopyTo(headers, 0);
        return new RecordedHeaders(headers);
    }

    /// <summary>
    /// Reads a body the handler left unread, up to <paramref name="limit"/> bytes (plus one to detect truncation).
    /// <c>Failed</c>: the server could not read it (malformed, aborted); the answer is then left to the server.
    /// </summary>
    public static async Task<(byte[]? Body, bool Truncated, bool Failed)> ReadUnreadBodyAsync(HttpContext context, int limit)
    {
        if (!MayHaveBody(context, limit))
        {
            return (null, false, false);
        }
        try
        {
            // Read before the response starts: a body that never comes holds the answer back a few seconds at most.
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            patience.CancelAfter(UnreadBodyPatience);
            var reader = context.Request.BodyReader;
            while (true)
            {
                var result = await reader.ReadAsync(patience.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (buffer.Length > limit || result.IsCompleted || result.IsCanceled)
                {
                    var kept = Math.Min(buffer.Length, limit);
                    var bytes = kept == 0 ? null : buffer.Slice(0, kept).ToArray();
                    reader.AdvanceTo(buffer.End);
                    // Content-Length also tells: some servers (TestServer) end the read at their own buffer size.
                    return (bytes, buffer.Length > limit || context.Request.ContentLength > kept, false);
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException or InvalidOperationException or ObjectDisposedException)
        {
            // Aborted, oversized, already consumed: the record simply has no body.
            return (null, false, true);
        }
    }

    /// <summary>Whether there may be a body for the journal to read: none for a GET without one, a WebSocket upgrade, or a cap of 0.</summary>
    public static bool MayHaveBody(HttpContext context, int limit) =>
        limit > 0 && CanHaveBody(context) && !context.WebSockets.IsWebSocketRequest;

    private static bool CanHaveBody(HttpContext context)
    {
        // The indexer rather than Get<T>, a generic virtual call (see RequestPath.RequestFeature).
        if (context.Features[typeof(IHttpRequestBodyDetectionFeature)] is IHttpRequestBodyDetectionFeature detection)
        {
            return detection.CanHaveBody;
        }
        var request = context.Request;
        return request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
    }
}

/// <summary>
/// The headers of a <see cref="RequestRecord"/> as the journal copied them: a header sent several times has its values
/// joined with ", " when it is read (most headers have one value, which is read as it is).
/// </summary>
internal sealed class RecordedHeaders(KeyValuePair<string, StringValues>[] headers) : IReadOnlyList<KeyValuePair<string, string>>
{
    public int Count => headers.Length;

    public KeyValuePair<string, string> this[int index] => Joined(headers[index]);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        foreach (var header in headers)
        {
            yield return Joined(header);
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private static KeyValuePair<string, string> Joined(KeyValuePair<string, StringValues> header) =>
        new(header.Key, MockRequest.JoinValues(header.Value));
}
