using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Moclojer.Runtime;

/// <summary>
/// One accepted WebSocket connection of a <c>websocket</c> item (WS-1 to WS-3), driven by the generated handler:
/// it sends rendered responses and receives text messages one at a time.
/// </summary>
public sealed class MockWebSocketSession : IDisposable
{
    /// <summary>Messages larger than this close the connection with <see cref="WebSocketCloseStatus.MessageTooBig"/>.</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    private static readonly byte[] NotWebSocketBody = """{"error":"This path accepts WebSocket connections only"}"""u8.ToArray();

    private readonly WebSocket _socket;
    private readonly CancellationToken _aborted;
    private readonly ArrayBufferWriter<byte> _message = new(1024);

    private MockWebSocketSession(WebSocket socket, CancellationToken aborted)
    {
        _socket = socket;
        _aborted = aborted;
    }

    /// <summary>
    /// Accepts the upgrade, or answers 400 with a JSON error when the request is not a WebSocket upgrade, and
    /// returns null then.
    /// </summary>
    public static async Task<MockWebSocketSession?> AcceptAsync(MockRequest request)
    {
        var context = request.HttpContext;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await MockResponses.WriteStaticAsync(request, StatusCodes.Status400BadRequest, MockResponses.JsonContentType, NotWebSocketBody).ConfigureAwait(false);
            return null;
        }
        // The server starts the 101 answer itself: the journal records the upgrade with that status, as it starts.
        request.RecordWhenResponseStarts();
        var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        return new MockWebSocketSession(socket, context.RequestAborted);
    }

    /// <summary>Sends a rendered response as one text message (and disposes the buffer).</summary>
    public async Task SendAsync(TemplateBuffer body)
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.SendAsync(body.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, _aborted).ConfigureAwait(false);
            }
        }
        finally
        {
            body.Dispose();
        }
    }

    /// <summary>Sends a response known at build time.</summary>
    public ValueTask SendAsync(byte[] body) =>
        _socket.State == WebSocketState.Open
            ? _socket.SendAsync(body.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, _aborted)
            : ValueTask.CompletedTask;

    /// <summary>
    /// The next text message (binary messages are skipped), or null once the client closed the connection (the
    /// close handshake is then completed) or the request was aborted.
    /// </summary>
    public async Task<string?> ReceiveAsync()
    {
        try
        {
            while (true)
            {
                _message.Clear();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(_message.GetMemory(4096), _aborted).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        if (_socket.State == WebSocketState.CloseReceived)
                        {
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, _aborted).ConfigureAwait(false);
                        }
                        return null;
                    }
                    _message.Advance(result.Count);
                    if (_message.WrittenCount > MaxMessageBytes)
                    {
                        await _socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too big", _aborted).ConfigureAwait(false);
                        return null;
                    }
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    return Encoding.UTF8.GetString(_message.WrittenSpan);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            return null; // the client went away
        }
    }

    /// <summary>WS-3: the pattern must match the whole message; a pattern that times out does not match.</summary>
    public static bool Matches(Regex pattern, string message)
    {
        try
        {
            return pattern.IsMatch(message);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
