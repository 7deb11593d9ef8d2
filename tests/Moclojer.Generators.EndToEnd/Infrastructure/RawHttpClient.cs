using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Moclojer.Generators.EndToEnd.Infrastructure;

/// <summary>A received HTTP response, headers in wire order (duplicates kept).</summary>
public sealed record RawResponse(
    int Status,
    string Reason,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[] Body,
    long StartTimestamp,
    long EndTimestamp)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public double ElapsedMs => Stopwatch.GetElapsedTime(StartTimestamp, EndTimestamp).TotalMilliseconds;

    /// <summary>All values of a header (name in any case) joined with ", " as README 1.2 says; null if absent.</summary>
    public string? Header(string name)
    {
        var values = Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }

    public string Describe()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"HTTP {Status} {Reason}");
        foreach (var (k, v) in Headers)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\n  {k}: {v}");
        }

        var body = BodyText;
        sb.Append("\n  body: ").Append(body.Length > 600 ? body[..600] + "…" : body);
        return sb.ToString();
    }
}

/// <summary>
/// HTTP/1.1 over a plain socket. HttpClient/Uri normalise request targets (dot segments, some escapes) and add
/// or reshape headers; the corpus needs the path sent verbatim (/hello/J%C3%BAlia, /search?q=a+b), only the
/// headers a step lists plus Host and Content-Length, and duplicate response headers kept apart. So requests are
/// written byte for byte and responses are parsed here (Content-Length, chunked, or read to close).
/// </summary>
public static class RawHttpClient
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <param name="port">Connects to 127.0.0.1:port.</param>
    /// <param name="target">The request target, written as is.</param>
    /// <param name="headers">Extra headers; a Host entry replaces the default Host header.</param>
    public static async Task<RawResponse> SendAsync(
        int port,
        string method,
        string target,
        IEnumerable<KeyValuePair<string, string>>? headers = null,
        byte[]? body = null,
        TimeSpan? timeout = null,
        CancellationToken cancel = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        cts.CancelAfter(timeout ?? DefaultTimeout);
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(System.Net.IPAddress.Loopback, port, cts.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);

            var head = BuildHead(port, method, target, headers ?? [], body);
            // Head and body in one write: the server sees one request even when it answers before reading all.
            var bytes = body is null ? head : [.. head, .. body];
            try
            {
                await stream.WriteAsync(bytes, cts.Token);
            }
            catch (IOException)
            {
                // The server may answer and close before reading everything (431, 413, 414): read its answer.
            }

            var reader = new ResponseReader(stream, cts.Token);
            return await reader.ReadAsync(method, start);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"{method} {Shorten(target)}: no complete response within {(timeout ?? DefaultTimeout).TotalSeconds:0} s");
        }
    }

    public static byte[] BuildHead(
        int port, string method, string target, IEnumerable<KeyValuePair<string, string>> headers, byte[]? body)
    {
        var list = headers.ToList();
        var sb = new StringBuilder();
        sb.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        if (!list.Any(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            sb.Append(CultureInfo.InvariantCulture, $"Host: 127.0.0.1:{port}\r\n");
        }

        foreach (var (k, v) in list)
        {
            sb.Append(k).Append(": ").Append(v).Append("\r\n");
        }

        if (body != null && !list.Any(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
        {
            sb.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        }

        sb.Append("\r\n");
        // Header values are UTF-8 on the wire here; the corpus's are ASCII.
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static string Shorten(string s) => s.Length > 120 ? s[..120] + $"…({s.Length} chars)" : s;

    /// <summary>Buffered reading of one response from the stream.</summary>
    private sealed class ResponseReader(Stream stream, CancellationToken cancel)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;
        private bool _eof;

        public async Task<RawResponse> ReadAsync(string method, long start)
        {
            while (true)
            {
                var statusLine = await ReadLineAsync() ?? throw new IOException("connection closed before a response");
                var headers = new List<KeyValuePair<string, string>>();
                for (var line = await ReadLineAsync(); !string.IsNullOrEmpty(line); line = await ReadLineAsync())
                {
                    var colon = line.IndexOf(':');
                    if (colon > 0)
                    {
                        headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
                    }
                }

                var parts = statusLine.Split(' ', 3);
                if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
                {
                    throw new IOException($"bad status line '{statusLine}'");
                }

                if (status is >= 100 and < 200)
                {
                    continue; // interim response (100 Continue): the real one follows
                }

                byte[] body;
                var te = headers.FirstOrDefault(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)).Value;
                var cl = headers.FirstOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
                if (method.Equals("HEAD", StringComparison.OrdinalIgnoreCase) || status is 204 or 304)
                {
                    body = [];
                }
                else if (te != null && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
                {
                    body = await ReadChunkedAsync();
                }
                else if (cl != null)
                {
                    body = await ReadExactAsync(int.Parse(cl.Split(',')[0].Trim(), CultureInfo.InvariantCulture));
                }
                else
                {
                    body = await ReadToEndAsync();
                }

                return new RawResponse(status, parts.Length > 2 ? parts[2] : "", headers, body, start, Stopwatch.GetTimestamp());
            }
        }

        private async Task<bool> FillAsync()
        {
            if (_eof)
            {
                return false;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new IOException("response line or header longer than 64 KB");
            }

            int n;
            try
            {
                n = await stream.ReadAsync(_buffer.AsMemory(_end), cancel);
            }
            catch (IOException) when (_end > _start)
            {
                n = 0; // a reset after the server wrote its answer: keep what arrived
            }

            if (n == 0)
            {
                _eof = true;
                return false;
            }

            _end += n;
            return true;
        }

        private async Task<string?> ReadLineAsync()
        {
            while (true)
            {
                var idx = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                if (idx >= 0)
                {
                    var len = idx - _start;
                    if (len > 0 && _buffer[idx - 1] == '\r')
                    {
                        len--;
                    }

                    var line = Encoding.Latin1.GetString(_buffer, _start, len);
                    _start = idx + 1;
                    return line;
                }

                if (!await FillAsync())
                {
                    return null;
                }
            }
        }

        private async Task<byte[]> ReadExactAsync(int count)
        {
            var result = new byte[count];
            var filled = 0;
            while (filled < count)
            {
                if (_end == _start && !await FillAsync())
                {
                    throw new IOException($"connection closed after {filled} of {count} body bytes");
                }

                var n = Math.Min(count - filled, _end - _start);
                Buffer.BlockCopy(_buffer, _start, result, filled, n);
                _start += n;
                filled += n;
            }

            return result;
        }

        private async Task<byte[]> ReadChunkedAsync()
        {
            using var ms = new MemoryStream();
            while (true)
            {
                var sizeLine = await ReadLineAsync() ?? throw new IOException("connection closed inside a chunked body");
                var size = int.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    // Trailers, then the empty line.
                    while (!string.IsNullOrEmpty(await ReadLineAsync()))
                    {
                    }

                    return ms.ToArray();
                }

                ms.Write(await ReadExactAsync(size));
                await ReadLineAsync();
            }
        }

        private async Task<byte[]> ReadToEndAsync()
        {
            using var ms = new MemoryStream();
            do
            {
                ms.Write(_buffer, _start, _end - _start);
                _start = _end = 0;
            }
            while (await FillAsync());

            return ms.ToArray();
        }
    }
}
