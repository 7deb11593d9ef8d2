using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Moclojer.Runtime;

/// <summary>Writes responses for generated endpoints and for the router's own answers.</summary>
public static class MockResponses
{
    public const string JsonContentType = "application/json";

    /// <summary>A response whose body was rendered per request.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string? contentType, TemplateBuffer body)
    {
        try
        {
            var response = context.Response;
            response.StatusCode = status;
            if (!AllowsBody(status))
            {
                return;
            }
            if (body.Length > 0 && contentType is not null)
            {
                response.ContentType = contentType;
            }
            response.ContentLength = body.Length;
            if (body.Length > 0)
            {
                await response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
            }
        }
        finally
        {
            body.Dispose();
        }
    }

    /// <summary>A response whose body was encoded at build time.</summary>
    public static Task WriteStaticAsync(HttpContext context, int status, string? contentType, byte[] body)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (!AllowsBody(status))
        {
            return Task.CompletedTask;
        }
        if (body.Length > 0 && contentType is not null)
        {
            response.ContentType = contentType;
        }
        response.ContentLength = body.Length;
        return body.Length == 0 ? Task.CompletedTask : response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }

    /// <summary>P-3 / Q-3: a value that does not fit its declared type.</summary>
    public static Task InvalidParameterAsync(HttpContext context, string location, string name, string expected, string? value)
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
        return WriteStaticAsync(context, StatusCodes.Status400BadRequest, JsonContentType, buffer.WrittenSpan.ToArray());
    }

    /// <summary>S-7: a failure that can only happen at run time.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("error", message);
            writer.WriteEndObject();
        }
        return WriteStaticAsync(context, status, JsonContentType, buffer.WrittenSpan.ToArray());
    }

    /// <summary>1xx, 204 and 304 responses carry no body and no Content-Length.</summary>
    private static bool AllowsBody(int status) => status >= 200 && status != 204 && status != 304;
}
