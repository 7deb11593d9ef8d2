using System.Net;
using System.Net.WebSockets;
using System.Text;
using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Features;

/// <summary>WS: generated websocket handlers served by Kestrel on 127.0.0.1, driven by a real ClientWebSocket.</summary>
public class WebSocketTests
{
    private const string Yaml = """
        - websocket:
            path: /ws/rooms/:room|int
            on-connect:
              response: '{"status": "connected", "room": {{path-params.room}}, "user": "{{query-params.user}}"}'
            on-message:
              - pattern: ping
                response: pong
              - pattern: 'echo (.*)'
                response: 'you said: {{message}}'
              - pattern: '\{.*\}'
                response: '{"echoed": "{{json-params.text}}", "n": {{json-params.n}}}'
              - pattern: '.*'
                response: 'seen'
        - endpoint:
            path: /plain
            response:
              body: '{"ok": true}'
        """;

    private static async Task<string> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await socket.ReceiveAsync(buffer, cts.Token);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        Assert.True(result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    [Fact]
    public async Task Connect_and_message_responses_are_rendered_in_declaration_order()
    {
        await using var service = await GeneratedService.StartAsync(Yaml);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{service.Address.Authority}/ws/rooms/007?user=a%22b"), CancellationToken.None);

        // A message that starts with '{' and is one JSON document is JSON (S-11): sent compact.
        Assert.Equal("""{"status":"connected","room":7,"user":"a\"b"}""", await ReceiveAsync(socket));

        await SendAsync(socket, "ping");
        Assert.Equal("pong", await ReceiveAsync(socket));
        Assert.Equal("seen", await ReceiveAsync(socket));

        await SendAsync(socket, "echo hi \"there\"");
        Assert.Equal("you said: echo hi \"there\"", await ReceiveAsync(socket));
        Assert.Equal("seen", await ReceiveAsync(socket));

        await SendAsync(socket, """{"text": "q\"uote", "n": 3}""");
        Assert.Equal("""{"echoed":"q\"uote","n":3}""", await ReceiveAsync(socket));
        Assert.Equal("seen", await ReceiveAsync(socket));

        // T-3, T-6: in a value position a missing value is null and a string stays a string.
        await SendAsync(socket, """{"text": "t", "n": "1, \"injected\": true"}""");
        Assert.Equal("""{"echoed":"t","n":"1, \"injected\": true"}""", await ReceiveAsync(socket));
        Assert.Equal("seen", await ReceiveAsync(socket));
        await SendAsync(socket, """{"text": "t"}""");
        Assert.Equal("""{"echoed":"t","n":null}""", await ReceiveAsync(socket));
        Assert.Equal("seen", await ReceiveAsync(socket));

        // Full match only: "pingx" matches neither 'ping' nor the echo pattern.
        await SendAsync(socket, "pingx");
        Assert.Equal("seen", await ReceiveAsync(socket));

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        Assert.Equal(WebSocketState.Closed, socket.State);
    }

    [Fact]
    public async Task Wrong_parameter_type_and_plain_http_get_are_refused_and_endpoints_still_work()
    {
        await using var service = await GeneratedService.StartAsync(Yaml);

        using var socket = new ClientWebSocket();
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{service.Address.Authority}/ws/rooms/abc"), CancellationToken.None));

        var plain = await service.Client.GetAsync("/ws/rooms/1");
        Assert.Equal(HttpStatusCode.BadRequest, plain.StatusCode);
        Assert.Contains("WebSocket", await plain.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/plain")).StatusCode);
    }

    [Theory]
    [InlineData("- websocket:\n    path: /ws\n")]
    [InlineData("- websocket:\n    path: /ws\n    on-connect:\n      response: hello\n")]
    [InlineData("- websocket:\n    path: /ws/:id|uuid\n    on-connect:\n      response: '{{message}} {{path-params.id}}'\n")]
    [InlineData("- websocket:\n    path: /ws\n    on-message:\n      - pattern: a\n")]
    public void Every_shape_compiles_without_warnings(string yaml)
    {
        var run = GeneratorHarness.Run(yaml);

        Assert.Empty(run.Errors);
        Assert.Empty(run.CompilationDiagnostics.Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).Select(d => d.ToString()));
    }

    [Fact]
    public void Message_variable_is_only_for_websocket_responses_and_patterns_are_checked()
    {
        var endpoint = GeneratorHarness.Run("- endpoint:\n    path: /a\n    response:\n      body: '{{message}}'\n");
        Assert.Contains(endpoint.Errors, d => d.Id == "MOCK014");

        var bad = GeneratorHarness.Run("- websocket:\n    path: /ws\n    on-message:\n      - pattern: '{{x}}'\n        response: x\n      - pattern: '[a'\n        response: y\n");
        Assert.Equal([4, 6], bad.Errors.Where(d => d.Id == "MOCK026").Select(d => GeneratorHarness.Position(d).Line).Order());
    }
}
