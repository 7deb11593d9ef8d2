using System.Buffers;
using System.IO.Pipelines;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Moclojer.Runtime;

/// <summary>
/// The variables of one request (T-9): computed once and shared by every template of the endpoint
/// (response body and headers, and webhooks). Values are read lazily so endpoints pay only for what they use.
/// </summary>
public sealed class MockRequest
{
    private string? _now;
    private JsonDocument? _json;
    private bool _jsonRead;

    private readonly TimeProvider _time;

    // The request journal's part, set by the dispatcher when the journal records (null once the request is recorded).
    private RequestJournal? _journal;
    private MockRoute? _route;
    private Task<(byte[]? Body, bool Truncated, bool Failed)>? _unreadBody;

    public MockRequest(HttpContext httpContext, string[] pathValues, TimeProvider time)
    {
        HttpContext = httpContext;
        PathValues = pathValues;
        _time = time;
        ReceivedAt = time.GetUtcNow();
    }

    /// <summary>S-10: holds the response without blocking a thread; the time comes from the registered TimeProvider.</summary>
    public Task DelayAsync(TimeSpan delay) => Task.Delay(delay, _time, HttpContext.RequestAborted);

    public HttpContext HttpContext { get; }

    /// <summary>The decoded path segments that matched the endpoint's parameters, in path order.</summary>
    public string[] PathValues { get; }

    /// <summary>When the request was received (from the registered <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary><c>{{now}}</c>: the receive time as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (T-7).</summary>
    public string Now => _now ??= ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary><c>{{uuid}}</c>: a new random version 4 UUID in lower case, different on every call (T-7).</summary>
    public static string NewUuid() => Guid.NewGuid().ToString("D");

    /// <summary><c>query-params.name</c>: the first value, "" for <c>?a</c>, null when absent .</summary>
    public string? Query(string name)
    {
        var values = HttpContext.Request.Query[name];
        return values.Count == 0 ? null : values[0] ?? string.Empty;
    }

    /// <summary><c>header-params.Name</c>: any letter case; several values joined with ", " (HP-1).</summary>
    public string? Header(string name)
    {
        if (!HttpContext.Request.Headers.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }
        return JoinValues(values);
    }

    /// <summary>HP-1: a header's values as one text, several joined with ", " (the request journal records them so too).</summary>
    internal static string JoinValues(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 1 ? values[0] ?? string.Empty : string.Join(", ", values.ToArray());

    /// <summary>The parsed request body (J-1); <see cref="JsonValueKind.Undefined"/> when empty or not JSON (S-8).</summary>
    public JsonElement Json => _json?.RootElement ?? default;

    /// <summary>WS-3: <c>json-params</c> of a websocket response is the message parsed as JSON (empty when it is not JSON).</summary>
    public void UseJsonText(string text)
    {
        _json?.Dispose();
        _json = text.Length == 0 ? null : MockJson.TryParse(new System.Buffers.ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(text)));
        _jsonRead = true;
    }

    /// <summary>How many body bytes <see cref="ReadJsonAsync"/> keeps for the request journal (0: none; set by the dispatcher).</summary>
    internal int CaptureLimit { get; private set; }

    /// <summary>
    /// Has the request recorded in <paramref name="journal"/> as answered by <paramref name="route"/>: by the response
    /// writers, just before the response starts (see <see cref="RecordBeforeResponseStartsAsync"/>).
    /// </summary>
    internal void RecordIn(RequestJournal journal, MockRoute route)
    {
        _journal = journal;
        _route = route;
        CaptureLimit = journal.MaxBodyBytes;
    }

    /// <summary>Whether the request is still to be recorded in the journal.</summary>
    internal bool RecordPending => _journal is not null;

    /// <summary>
    /// Records the request in the journal, once, just before its response starts: its status is then final, and a
    /// client that has the answer always finds its request recorded. A body the handler left unread is read first, up
    /// to the cap. Every writer of a matched request's response calls it; it completes at once when the journal is off,
    /// the request is recorded already, or there is no body to read (a GET).
    /// </summary>
    internal ValueTask RecordBeforeResponseStartsAsync()
    {
        if (_journal is null)
        {
            return default;
        }
        if (_unreadBody is null && (BodyRead || !RequestCapture.MayHaveBody(HttpContext, CaptureLimit)))
        {
            Record(null, false);
            return default;
        }
        return RecordAfterReadingBodyAsync();
    }

    private async ValueTask RecordAfterReadingBodyAsync()
    {
        var (body, truncated, _) = await ReadUnreadBodyAsync().ConfigureAwait(false);
        Record(body, truncated);
    }

    /// <summary>
    /// Reads the body the handler left unread, once, for the journal. <c>Failed</c>: the server could not read it
    /// (malformed, aborted), and the answer is left to it.
    /// </summary>
    internal Task<(byte[]? Body, bool Truncated, bool Failed)> ReadUnreadBodyAsync() =>
        _unreadBody ??= RequestCapture.ReadUnreadBodyAsync(HttpContext, CaptureLimit);

    /// <summary>
    /// For a response the mock's writers do not start (a WebSocket upgrade, an answer left to the server after a body it
    /// could not read): records the request when the response starts, with the status it goes out with.
    /// </summary>
    internal void RecordWhenResponseStarts()
    {
        if (_journal is not null && !HttpContext.Response.HasStarted)
        {
            HttpContext.Response.OnStarting(RecordOnStarting, this);
        }
    }

    private static readonly Func<object, Task> RecordOnStarting = static state => ((MockRequest)state).RecordBeforeResponseStartsAsync().AsTask();

    private void Record(byte[]? body, bool truncated)
    {
        if (_journal is not { } journal)
        {
            return; // recorded meanwhile
        }
        _journal = null;
        if (BodyRead)
        {
            (body, truncated) = (CapturedBody, CapturedBodyTruncated);
        }
        journal.Add(RequestCapture.Record(HttpContext, ReceivedAt, _route, PathValues, body, truncated, nearMiss: null));
    }

    /// <summary>Whether the handler read the body (<see cref="ReadJsonAsync"/> or <see cref="UseJsonText"/>).</summary>
    internal bool BodyRead => _jsonRead;

    /// <summary>The body bytes kept for the journal when the handler read the body.</summary>
    internal byte[]? CapturedBody { get; private set; }

    internal bool CapturedBodyTruncated { get; private set; }

    /// <summary>
    /// Reads and parses the body once, whatever its Content-Type (S-8). Size limits are Kestrel's: an oversized
    /// body surfaces as <see cref="BadHttpRequestException"/>, which the dispatcher turns into Kestrel's status.
    /// </summary>
    public async ValueTask ReadJsonAsync()
    {
        if (_jsonRead)
        {
            return;
        }
        _jsonRead = true;
        var request = HttpContext.Request;
        if (request.ContentLength == 0)
        {
            return;
        }
        var reader = request.BodyReader;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(HttpContext.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not (BadHttpRequestException or OperationCanceledException)
                && !HttpContext.RequestAborted.IsCancellationRequested)
            {
                // A body the server could not decode (a malformed chunk, for one) is the client's mistake: 400, and the
                // exception's text goes to the log only.
                throw new BadHttpRequestException("The request body could not be read.", StatusCodes.Status400BadRequest, ex);
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                var buffer = result.Buffer;
                if (CaptureLimit > 0 && !buffer.IsEmpty)
                {
                    // The request journal records what was read: a copy of at most CaptureLimit bytes.
                    var kept = (int)Math.Min(buffer.Length, CaptureLimit);
                    CapturedBody = buffer.Slice(0, kept).ToArray();
                    CapturedBodyTruncated = buffer.Length > kept;
                }
                if (!buffer.IsEmpty)
                {
                    _json = MockJson.TryParse(buffer);
                    if (_json is not null)
                    {
                        HttpContext.Response.RegisterForDispose(_json);
                    }
                }
                reader.AdvanceTo(buffer.End);
                return;
            }
            // Keep everything buffered until the body is complete.
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
