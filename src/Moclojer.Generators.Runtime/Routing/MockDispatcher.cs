using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Moclojer.Runtime;

/// <summary>
/// The single ASP.NET Core endpoint behind every mock route: matches the request, runs the endpoint's
/// compiled handler, and answers the built-in <c>GET /</c>, <c>/swagger.json</c> and <c>/openapi.json</c> when no endpoint of the
/// file takes them. A bad request is answered with a 4xx, never with a 500 and a stack trace.
/// </summary>
/// <remarks>
/// <para>
/// <b>Request journal.</b> When the journal records (capacity above 0), every request is recorded just before its
/// response starts, with its final status. The body is recorded as the handler read it (the bytes a JSON body was parsed
/// from, up to <see cref="MoclojerRequestOptions.MaxBodyBytes"/>); a body the handler never read is read before the
/// response starts, up to that cap plus one byte (to know it was truncated), and the rest is left to the server to
/// drain. With the journal off nothing is read or copied. The near miss of an unmatched request is computed from the
/// router's routes only then.
/// </para>
/// </remarks>
public sealed partial class MockDispatcher
{
    private static readonly byte[] HomeBody = """["->","moclojer","server"]"""u8.ToArray();

    private readonly MockServiceDefinition _definition;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RequestJournal? _journal;

    public MockDispatcher(MockServiceDefinition definition, TimeProvider time, ILogger<MockDispatcher> logger)
        : this(definition, time, logger, null)
    {
    }

    /// <summary>A dispatcher that records requests in <paramref name="journal"/>; null (or a journal with capacity 0) records nothing.</summary>
    public MockDispatcher(MockServiceDefinition definition, TimeProvider time, ILogger<MockDispatcher> logger, IRequestJournal? journal)
    {
        _definition = definition;
        _time = time;
        _logger = logger;
        _journal = journal is RequestJournal { Enabled: true } recording ? recording : null;
    }

    public Task DispatchAsync(HttpContext context) => Dispatch(context, answerUnmatched: true)!;

    /// <summary>
    /// Runs the endpoint <paramref name="context"/> matches and returns its task, or returns null without touching the
    /// request when no endpoint matches (or a built-in document wins): the caller passes it on. What the generated
    /// entry point answers ahead of ASP.NET Core's routing (see <see cref="MoclojerHosting.UseMockRoutesFirst"/>).
    /// </summary>
    public Task? TryDispatchMatched(HttpContext context) => Dispatch(context, answerUnmatched: false);

    private Task? Dispatch(HttpContext context, bool answerUnmatched)
    {
        var request = context.Request;
        var router = _definition.Router;
        // The segments are ranges of the request target: matching copies nothing unless the target has escapes.
        scoped var path = RequestPath.Target(context, out var escaped);
        var count = RequestPath.Count(path);
        if (count > router.MaxSegments && count > 1)
        {
            // Longer than every route and every built-in path.
            return answerUnmatched ? AnswerUnmatched(context, null, new MockRouteMatch(MockRouteOutcome.NotFound, null, null)) : null;
        }
        var segments = (count <= 16 ? stackalloc Range[16] : new Range[count])[..count];
        RequestPath.Ranges(path, segments);
        if (escaped && path.Contains('%'))
        {
            path = RequestPath.Decode(path, segments, path.Length <= 256 ? stackalloc char[256] : new char[path.Length]);
        }
        // HostString.Host allocates a substring when the header has a port: read it only if a route needs it.
        // Each HttpRequest property read is a feature lookup of its own on Kestrel: the method is read once.
        var method = request.Method;
        var match = router.Match(method, router.HasHostRoutes ? request.Host.Host : string.Empty, path, segments);
        if (match.Outcome == MockRouteOutcome.Found && !BuiltInDocumentWins(method, path, segments, match.Route!))
        {
            var route = match.Route!;
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                LogMatched(method, request.Path, route.DisplayName);
            }
            var mockRequest = new MockRequest(context, PathValues(route, path, segments), _time);
            if (MoclojerTracing.Source.HasListeners())
            {
                return RunTracedAsync(route, mockRequest);
            }
            if (_journal is { } journal)
            {
                return RunAndRecordAsync(journal, route, mockRequest);
            }
            return RunAsync(route, mockRequest);
        }
        if (!answerUnmatched)
        {
            return null;
        }

        var builtIn = count == 0 ? HomeBody
            : count == 1 && path[segments[0]] is "swagger.json" ? _definition.SwaggerJson
            : count == 1 && path[segments[0]] is "openapi.json" && _definition.OpenApiJson.Length > 0 ? _definition.OpenApiJson
            : null;
        if (match.Outcome == MockRouteOutcome.Found)
        {
            // A built-in document won over a parameter route: answer it as the built-in path.
            match = new MockRouteMatch(MockRouteOutcome.NotFound, null, null);
        }
        return AnswerUnmatched(context, builtIn, match);
    }

    private Task AnswerUnmatched(HttpContext context, byte[]? builtIn, MockRouteMatch match)
    {
        if (_journal is not null)
        {
            // The near miss needs the segments as strings: only unmatched requests that are recorded pay for them.
            return AnswerUnmatchedAndRecordAsync(_journal, context, builtIn, RequestPath.Segments(context), match);
        }
        return AnswerUnmatchedAsync(context, builtIn, match);
    }

    /// <summary>
    /// <c>GET /swagger.json</c> and <c>/openapi.json</c> are literal paths, so they beat an endpoint whose first
    /// segment is a parameter (<c>/:id</c>); only an endpoint that names the path itself replaces them.
    /// </summary>
    private bool BuiltInDocumentWins(string method, ReadOnlySpan<char> path, ReadOnlySpan<Range> segments, MockRoute route) =>
        segments.Length == 1
        && route.Segments[0] is null
        && method is "GET" or "HEAD"
        && (path[segments[0]] is "swagger.json" || (path[segments[0]] is "openapi.json" && _definition.OpenApiJson.Length > 0));

    /// <summary>
    /// Runs a matched request inside its <c>Moclojer</c> activity (see <see cref="MoclojerTracing"/>). The activity is
    /// current while the handler runs, so the webhooks it schedules capture it as their parent; being an async method,
    /// the caller's <see cref="System.Diagnostics.Activity.Current"/> is left as it was.
    /// </summary>
    private async Task RunTracedAsync(MockRoute route, MockRequest request)
    {
        using var activity = MoclojerTracing.StartRequest(request.HttpContext, route);
        if (_journal is { } journal)
        {
            await RunAndRecordAsync(journal, route, request).ConfigureAwait(false);
        }
        else
        {
            await RunAsync(route, request).ConfigureAwait(false);
        }
        if (activity is not null)
        {
            MoclojerTracing.StopRequest(activity, request.HttpContext);
        }
    }

    private Task AnswerUnmatchedAsync(HttpContext context, byte[]? builtIn, MockRouteMatch match)
    {
        var request = context.Request;
        if (builtIn is not null && request.Method is "GET" or "HEAD")
        {
            return MockResponses.WriteStaticAsync(context, StatusCodes.Status200OK, MockResponses.JsonContentType, builtIn);
        }

        if (match.Outcome == MockRouteOutcome.MethodNotAllowed || builtIn is not null)
        {
            // The built-in GET / and /swagger.json make their paths known: other methods get 405 there too.
            var allow = builtIn is null ? match.Allow!
                : match.Allow is null ? "GET, HEAD"
                : match.Allow.Contains("GET", StringComparison.Ordinal) ? match.Allow : match.Allow + ", GET, HEAD";
            LogMethodNotAllowed(request.Method, request.Path, allow);
            context.Response.Headers.Allow = allow;
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        }

        LogNotFound(request.Method, request.Host.Value ?? string.Empty, request.Path);
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    // A matched request is recorded by the mock's response writers just before the response starts (its status is
    // then final), so a client that has the answer always finds its request in the journal; a response left unstarted
    // is recorded once the handler returns, before the server starts it. No OnStarting callback and no object beyond
    // the MockRequest: recording is most of what a default mock adds to a request.
    private Task RunAndRecordAsync(RequestJournal journal, MockRoute route, MockRequest request)
    {
        request.RecordIn(journal, route);
        var handler = RunAsync(route, request);
        return handler.IsCompletedSuccessfully && !request.RecordPending ? handler : FinishRecordingAsync(handler, request);
    }

    /// <summary>
    /// After the handler, for a request not yet recorded: its response is unstarted (a status without a body), so the
    /// body nobody read is read now, while the request still runs (a server may close it once the app returns), and the
    /// request is recorded. After a body the server could not read, the answer is left to the server: the request is
    /// then recorded when that answer starts, with the status it goes out with.
    /// </summary>
    private static async Task FinishRecordingAsync(Task handler, MockRequest request)
    {
        await handler.ConfigureAwait(false);
        if (!request.RecordPending)
        {
            return;
        }
        var context = request.HttpContext;
        if (context.Response.HasStarted)
        {
            // Started by something other than the mock's writers: late rather than never.
            await request.RecordBeforeResponseStartsAsync().ConfigureAwait(false);
            return;
        }
        if (context.RequestAborted.IsCancellationRequested)
        {
            request.RecordWhenResponseStarts();
            return;
        }
        if (!request.BodyRead && (await request.ReadUnreadBodyAsync().ConfigureAwait(false)).Failed)
        {
            request.RecordWhenResponseStarts();
            return;
        }
        await request.RecordBeforeResponseStartsAsync().ConfigureAwait(false);
    }

    private Task AnswerUnmatchedAndRecordAsync(RequestJournal journal, HttpContext context, byte[]? builtIn, string[] segments, MockRouteMatch match)
    {
        var recording = new UnmatchedRecording(journal, context, _time.GetUtcNow(), this, segments, match);
        context.Response.OnStarting(UnmatchedRecording.OnStarting, recording);
        return FinishUnmatchedAsync(AnswerUnmatchedAsync(context, builtIn, match), recording);
    }

    /// <summary>
    /// After an unmatched answer: one left unstarted (404, 405) whose request body nobody read is started here, once
    /// that body is read, while the request still runs. A body the server could not read is left to the server.
    /// </summary>
    private static async Task FinishUnmatchedAsync(Task answer, UnmatchedRecording recording)
    {
        await answer.ConfigureAwait(false);
        var context = recording.Context;
        if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        if ((await recording.ReadUnreadBodyAsync().ConfigureAwait(false)).Failed)
        {
            return;
        }
        // Nothing was written, so the body is empty: say so, as the server would when the app returns.
        if (context.Response.ContentLength is null && context.Response.StatusCode is not (StatusCodes.Status204NoContent or StatusCodes.Status304NotModified))
        {
            context.Response.ContentLength = 0;
        }
        try
        {
            await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client went away; there is nothing to start.
        }
    }

    /// <summary>
    /// A request no endpoint answered (404, 405, built-in documents), recorded with its near miss when its response
    /// starts (the <see cref="HttpResponse.OnStarting(Func{object, Task}, object)"/> state; no closure or delegate),
    /// with the body nobody read, read once for the journal, up to the cap.
    /// </summary>
    private sealed class UnmatchedRecording(
        RequestJournal journal, HttpContext context, DateTimeOffset receivedAt, MockDispatcher dispatcher, string[] segments, MockRouteMatch match)
    {
        public static readonly Func<object, Task> OnStarting = static state => ((UnmatchedRecording)state).RecordAsync();

        private Task<(byte[]? Body, bool Truncated, bool Failed)>? _read;

        public HttpContext Context { get; } = context;

        /// <summary>Reads the body nobody read, once (<c>Failed</c>: the server could not read it; the answer is left to it).</summary>
        public Task<(byte[]? Body, bool Truncated, bool Failed)> ReadUnreadBodyAsync() =>
            _read ??= RequestCapture.ReadUnreadBodyAsync(Context, journal.MaxBodyBytes);

        private Task RecordAsync()
        {
            if (_read is null && !RequestCapture.MayHaveBody(Context, journal.MaxBodyBytes))
            {
                Record(null, false);
                return Task.CompletedTask;
            }
            return RecordAfterReadAsync();
        }

        private async Task RecordAfterReadAsync()
        {
            var (body, truncated, _) = await ReadUnreadBodyAsync().ConfigureAwait(false);
            Record(body, truncated);
        }

        private void Record(byte[]? body, bool truncated)
        {
            NearMiss? nearMiss = null;
            if (match.Outcome == MockRouteOutcome.MethodNotAllowed || Context.Response.StatusCode == StatusCodes.Status404NotFound)
            {
                try
                {
                    nearMiss = NearMisses.Find(dispatcher._definition.Router, match, Context.Request.Method, Context.Request.Host.Host, segments);
                }
                catch (Exception ex)
                {
                    dispatcher.LogNearMissFailed(ex);
                }
            }
            journal.Add(RequestCapture.Record(Context, receivedAt, null, [], body, truncated, nearMiss));
        }
    }

    /// <summary>
    /// Runs the handler. Most complete synchronously (the response written into the server's buffer): those cost no
    /// state machine here; a failure, thrown or in the task, is answered by <see cref="AwaitHandlerAsync"/>.
    /// </summary>
    private Task RunAsync(MockRoute route, MockRequest request)
    {
        Task handler;
        try
        {
            handler = route.Handler(request);
        }
        catch (Exception ex)
        {
            handler = Task.FromException(ex);
        }
        return handler.IsCompletedSuccessfully ? handler : AwaitHandlerAsync(handler, route, request);
    }

    private async Task AwaitHandlerAsync(Task handler, MockRoute route, MockRequest request)
    {
        var context = request.HttpContext;
        try
        {
            await handler.ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own limits (body too large, bad chunking...) keep Kestrel's status code.
            LogBadRequest(route.DisplayName, ex.StatusCode, ex.Message);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = ex.StatusCode;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception ex)
        {
            LogHandlerFailed(ex, route.DisplayName);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                // No exception text reaches a client: the details are in the log.
                await MockResponses.ErrorAsync(request, StatusCodes.Status500InternalServerError, "The mock endpoint failed; the service log has the details.").ConfigureAwait(false);
            }
        }
    }

    private static string[] PathValues(MockRoute route, ReadOnlySpan<char> path, ReadOnlySpan<Range> segments)
    {
        if (route.ParameterCount == 0)
        {
            return [];
        }
        var values = new string[route.ParameterCount];
        var next = 0;
        for (var i = 0; i < route.Segments.Length; i++)
        {
            if (route.Segments[i] is null)
            {
                values[next++] = path[segments[i]].ToString();
            }
        }
        return values;
    }

    // The call site checks Debug first: its arguments are read from the request only then.
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Method} {Path} matched {Endpoint}", SkipEnabledCheck = true)]
    private partial void LogMatched(string method, PathString path, string endpoint);

    [LoggerMessage(2, LogLevel.Information, "No mock endpoint matches {Method} {Path} (host {Host}); answering 404")]
    private partial void LogNotFound(string method, string host, PathString path);

    [LoggerMessage(3, LogLevel.Information, "{Method} {Path} has no endpoint for that method; answering 405 (allowed: {Allow})")]
    private partial void LogMethodNotAllowed(string method, PathString path, string allow);

    [LoggerMessage(4, LogLevel.Information, "Request to {Endpoint} was refused by the server with {Status}: {Reason}")]
    private partial void LogBadRequest(string endpoint, int status, string reason);

    [LoggerMessage(6, LogLevel.Warning, "Could not work out the nearest endpoint of an unmatched request")]
    private partial void LogNearMissFailed(Exception exception);

    [LoggerMessage(5, LogLevel.Error, "The handler of {Endpoint} failed")]
    private partial void LogHandlerFailed(Exception exception, string endpoint);
}
