using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Moclojer.Runtime;

/// <summary>
/// Writes responses for generated endpoints and for the router's own answers. The <see cref="MockRequest"/> overloads
/// are a matched request's: they record the request in the journal just before the response starts, so a client that
/// has the answer finds its request recorded (a handler that starts its response otherwise is recorded once it returns).
/// </summary>
public static class MockResponses
{
    public const string JsonContentType = "application/json";

    /// <summary>A response whose body was rendered per request.</summary>
    public static Task WriteAsync(HttpContext context, int status, string? contentType, TemplateBuffer body) =>
        WriteAsync(context, null, status, contentType, body);

    /// <summary>
    /// A matched request's response whose body was rendered per request: the request is recorded in the journal just
    /// before the response starts (see <see cref="MockRequest"/>).
    /// </summary>
    public static Task WriteAsync(MockRequest request, int status, string? contentType, TemplateBuffer body) =>
        WriteAsync(request.HttpContext, request, status, contentType, body);

    // Not an async method: the usual write completes at once (into the server's buffer), and the buffer goes back to
    // the pool then; only a write or a record still pending keeps it until it completes.
    private static Task WriteAsync(HttpContext context, MockRequest? request, int status, string? contentType, TemplateBuffer body)
    {
        var bodyInUse = false;
        try
        {
            if (!SetStatusAndBodyHeaders(context.Response, status, contentType, body.Length))
            {
                return Task.CompletedTask;
            }
            if (request?.RecordBeforeResponseStartsAsync() is { IsCompletedSuccessfully: false } recording)
            {
                bodyInUse = true;
                return WriteAfterRecordingAsync(recording, context, body.WrittenMemory, body);
            }
            var write = context.Response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
            if (write.IsCompletedSuccessfully)
            {
                write.GetAwaiter().GetResult();
                return Task.CompletedTask;
            }
            bodyInUse = true;
            return DisposeAfterAsync(write, body);
        }
        finally
        {
            if (!bodyInUse)
            {
                body.Dispose();
            }
        }
    }

    private static async Task DisposeAfterAsync(ValueTask write, TemplateBuffer body)
    {
        using (body)
        {
            await write.ConfigureAwait(false);
        }
    }

    /// <summary>A response whose body was encoded at build time.</summary>
    public static Task WriteStaticAsync(HttpContext context, int status, string? contentType, byte[] body) =>
        WriteStaticAsync(context, null, status, contentType, body);

    /// <summary>A matched request's response whose body was encoded at build time (recorded as it starts).</summary>
    public static Task WriteStaticAsync(MockRequest request, int status, string? contentType, byte[] body) =>
        WriteStaticAsync(request.HttpContext, request, status, contentType, body);

    private static Task WriteStaticAsync(HttpContext context, MockRequest? request, int status, string? contentType, byte[] body)
    {
        if (!SetStatusAndBodyHeaders(context.Response, status, contentType, body.Length))
        {
            return Task.CompletedTask;
        }
        if (request?.RecordBeforeResponseStartsAsync() is { IsCompletedSuccessfully: false } recording)
        {
            return WriteAfterRecordingAsync(recording, context, body, owner: null);
        }
        return context.Response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }

    /// <summary>
    /// Sets the status, and for a status that has a body its Content-Type (when there is a body) and Content-Length;
    /// true when there are body bytes to write.
    /// </summary>
    private static bool SetStatusAndBodyHeaders(HttpResponse response, int status, string? contentType, int length)
    {
        response.StatusCode = status;
        if (!AllowsBody(status))
        {
            return false;
        }
        if (length > 0 && contentType is not null)
        {
            response.ContentType = contentType;
        }
        response.ContentLength = length;
        return length > 0;
    }

    /// <summary>Writes the body once the journal's record (reading a body nobody read) is done; then gives <paramref name="owner"/> back.</summary>
    private static async Task WriteAfterRecordingAsync(ValueTask recording, HttpContext context, ReadOnlyMemory<byte> body, IDisposable? owner)
    {
        using (owner)
        {
            await recording.ConfigureAwait(false);
            await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>P-3 / Q-3: a value that does not fit its declared type.</summary>
    public static Task InvalidParameterAsync(HttpContext context, string location, string name, string expected, string? value) =>
        WriteStaticAsync(context, null, StatusCodes.Status400BadRequest, JsonContentType, InvalidParameterBody(location, name, expected, value));

    /// <summary>P-3 / Q-3 for a matched request (recorded as the response starts).</summary>
    public static Task InvalidParameterAsync(MockRequest request, string location, string name, string expected, string? value) =>
        WriteStaticAsync(request.HttpContext, request, StatusCodes.Status400BadRequest, JsonContentType, InvalidParameterBody(location, name, expected, value));

    /// <summary>S-7: a failure that can only happen at run time.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string message) =>
        WriteStaticAsync(context, null, status, JsonContentType, ErrorBody(message));

    /// <summary>S-7 for a matched request (recorded as the response starts).</summary>
    public static Task ErrorAsync(MockRequest request, int status, string message) =>
        WriteStaticAsync(request.HttpContext, request, status, JsonContentType, ErrorBody(message));

    private static byte[] InvalidParameterBody(string location, string name, string expected, string? value)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("error", "invalid-parameter");
            writer.WriteString("in", location);
            writer.WriteString("name", name);
            writer.WriteString("expected", expected);
            writer.WriteString("value", value);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] ErrorBody(string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>1xx, 204 and 304 responses carry no body and no Content-Length.</summary>
    private static bool AllowsBody(int status) => status >= 200 && status != 204 && status != 304;
}
