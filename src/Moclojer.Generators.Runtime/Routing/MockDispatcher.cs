using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Moclojer.Runtime;

/// <summary>
/// The single ASP.NET Core endpoint behind every mock route: matches the request, runs the endpoint's
/// compiled handler, and answers the built-in <c>GET /</c>, <c>/swagger.json</c> and <c>/openapi.json</c> when no endpoint of the
/// file takes them. A bad request is answered with a 4xx, never with a 500 and a stack trace.
/// </summary>
public sealed partial class MockDispatcher
{
    private static readonly byte[] HomeBody = """["->","moclojer","server"]"""u8.ToArray();

    private readonly MockServiceDefinition _definition;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public MockDispatcher(MockServiceDefinition definition, TimeProvider time, ILogger<MockDispatcher> logger)
    {
        _definition = definition;
        _time = time;
        _logger = logger;
    }

    public Task DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        var segments = RequestPath.Segments(context);
        // HostString.Host allocates a substring when the header has a port: read it only if a route needs it.
        var router = _definition.Router;
        var match = router.Match(request.Method, router.HasHostRoutes ? request.Host.Host : string.Empty, segments);
        if (match.Outcome == MockRouteOutcome.Found)
        {
            var route = match.Route!;
            LogMatched(request.Method, request.Path, route.DisplayName);
            return RunAsync(route, new MockRequest(context, PathValues(route, segments), _time));
        }

        var builtIn = segments.Length == 0 ? HomeBody
            : segments.Length == 1 && segments[0] == "swagger.json" ? _definition.SwaggerJson
            : segments.Length == 1 && segments[0] == "openapi.json" && _definition.OpenApiJson.Length > 0 ? _definition.OpenApiJson
            : null;
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

    private async Task RunAsync(MockRoute route, MockRequest request)
    {
        var context = request.HttpContext;
        try
        {
            await route.Handler(request).ConfigureAwait(false);
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
                await MockResponses.ErrorAsync(context, StatusCodes.Status500InternalServerError, "The mock endpoint failed: " + ex.Message).ConfigureAwait(false);
            }
        }
    }

    private static string[] PathValues(MockRoute route, string[] segments)
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
                values[next++] = segments[i];
            }
        }
        return values;
    }

    [LoggerMessage(1, LogLevel.Debug, "{Method} {Path} matched {Endpoint}")]
    private partial void LogMatched(string method, PathString path, string endpoint);

    [LoggerMessage(2, LogLevel.Information, "No mock endpoint matches {Method} {Path} (host {Host}); answering 404")]
    private partial void LogNotFound(string method, string host, PathString path);

    [LoggerMessage(3, LogLevel.Information, "{Method} {Path} has no endpoint for that method; answering 405 (allowed: {Allow})")]
    private partial void LogMethodNotAllowed(string method, PathString path, string allow);

    [LoggerMessage(4, LogLevel.Information, "Request to {Endpoint} was refused by the server with {Status}: {Reason}")]
    private partial void LogBadRequest(string endpoint, int status, string reason);

    [LoggerMessage(5, LogLevel.Error, "The handler of {Endpoint} failed")]
    private partial void LogHandlerFailed(Exception exception, string endpoint);
}
