using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Moclojer.Routing.Benchmarks;

/// <summary>
/// A response as a server runs it, for the in-memory benchmarks: <c>OnStarting</c> callbacks are kept on a stack (the
/// last registered runs first, as Kestrel does) and run before the first body byte or at <c>StartAsync</c>, after which
/// <see cref="HasStarted"/> is true. <see cref="DefaultHttpContext"/>'s own response feature ignores <c>OnStarting</c>
/// and never starts: with it, a request journal that records when the response starts would record nothing, and the
/// benchmark would leave out both the journal's record and the server's callback work. The body goes to
/// <paramref name="inner"/>.
/// </summary>
internal sealed class ServerLikeResponse(Stream inner) : Stream, IHttpResponseFeature, IHttpResponseBodyFeature
{
    private readonly Stack<KeyValuePair<Func<object, Task>, object>> _onStarting = new();
    private PipeWriter? _writer;

    /// <summary>Puts this response in place of <paramref name="context"/>'s own.</summary>
    public static ServerLikeResponse Install(DefaultHttpContext context, Stream inner)
    {
        var response = new ServerLikeResponse(inner);
        context.Features.Set<IHttpResponseFeature>(response);
        context.Features.Set<IHttpResponseBodyFeature>(response);
        return response;
    }

    /// <summary>Ready for the next request on the same context (as a server resets its response per request).</summary>
    public void Reset()
    {
        HasStarted = false;
        StatusCode = StatusCodes.Status200OK;
        ReasonPhrase = null;
        Headers.Clear();
        _onStarting.Clear();
    }

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    [Obsolete("Use IHttpResponseBodyFeature.Stream")]
    Stream IHttpResponseFeature.Body
    {
        get => this;
        set => throw new NotSupportedException();
    }

    public bool HasStarted { get; private set; }

    public void OnStarting(Func<object, Task> callback, object state)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException("The response has already started.");
        }
        _onStarting.Push(new(callback, state));
    }

    public void OnCompleted(Func<object, Task> callback, object state)
    {
    }

    Stream IHttpResponseBodyFeature.Stream => this;

    PipeWriter IHttpResponseBodyFeature.Writer => _writer ??= PipeWriter.Create(this, new StreamPipeWriterOptions(leaveOpen: true));

    public void DisableBuffering()
    {
    }

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted)
        {
            return Task.CompletedTask;
        }
        // Callbacks run before the response counts as started (they may still set the status and headers).
        while (_onStarting.TryPop(out var callback))
        {
            var task = callback.Key(callback.Value);
            if (!task.IsCompletedSuccessfully)
            {
                return StartAwaitedAsync(task);
            }
        }
        HasStarted = true;
        return Task.CompletedTask;
    }

    private async Task StartAwaitedAsync(Task pending)
    {
        await pending;
        while (_onStarting.TryPop(out var callback))
        {
            await callback.Key(callback.Value);
        }
        HasStarted = true;
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task CompleteAsync() => StartAsync();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => StartAsync().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => StartAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        StartAsync().GetAwaiter().GetResult();
        inner.Write(buffer, offset, count);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var start = StartAsync(cancellationToken);
        if (!start.IsCompletedSuccessfully)
        {
            return WriteAfterStartAsync(start, buffer, cancellationToken);
        }
        return inner.WriteAsync(buffer, cancellationToken);
    }

    private async ValueTask WriteAfterStartAsync(Task start, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await start;
        await inner.WriteAsync(buffer, cancellationToken);
    }
}
