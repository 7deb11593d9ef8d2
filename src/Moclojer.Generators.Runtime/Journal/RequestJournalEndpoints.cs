using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Moclojer.Runtime;

/// <summary>The request journal and reset over HTTP, for mocks that run out of process (containers, Aspire).</summary>
public static class RequestJournalEndpointRouteBuilderExtensions
{
    /// <summary>The longest long-poll <c>wait</c> accepted, in seconds.</summary>
    public const int MaxWaitSeconds = 300;

    /// <summary>
    /// Maps, unless turned off in <see cref="MoclojerRequestOptions"/>:
    /// <list type="bullet">
    /// <item><c>GET /__moclojer/requests</c> (<see cref="MoclojerRequestOptions.JournalPath"/>): the recorded requests as
    /// JSON, oldest first: <c>{"capacity":1000,"count":1,"complete":true,"records":[{"sequence":1,"method":"POST",
    /// "path":"/checkout/42","queryString":"","host":"…","headers":[{"key":"Content-Type","value":"…"}],"body":"…",
    /// "bodyTruncated":false,"receivedAt":"…","endpoint":"POST /checkout/:orderId|int","statusCode":202,
    /// "pathValues":["42"]}]}</c>. Query: <c>method</c> (any case), <c>path</c> (exact, or a prefix ending in <c>*</c>),
    /// <c>wait=SECONDS</c> (0 to 300) with <c>count=N</c> (default 1) long-polls until N records match or the time
    /// is up (then <c>complete</c> is false). A malformed value is answered 400 with <c>{"error":"…"}</c>.</item>
    /// <item><c>POST /__moclojer/reset</c> (<see cref="MoclojerRequestOptions.ResetPath"/>): <see cref="IMockReset.Reset"/>, answered 204.</item>
    /// </list>
    /// They are ordinary endpoints, so they win over the mock's catch-all endpoint (ordered last).
    /// </summary>
    public static void MapMoclojerRequestJournal(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<MoclojerRequestOptions>>().Value;
        if (options.JournalEnabled)
        {
            RequestDelegate journal = WriteJournalAsync;
            endpoints.MapGet(options.JournalPath, journal).WithDisplayName("Moclojer request journal");
        }
        if (options.ResetEnabled)
        {
            RequestDelegate reset = ResetAsync;
            endpoints.MapPost(options.ResetPath, reset).WithDisplayName("Moclojer reset");
        }
    }

    private static Task ResetAsync(HttpContext context)
    {
        context.RequestServices.GetRequiredService<IMockReset>().Reset();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.Headers.CacheControl = "no-store";
        return Task.CompletedTask;
    }

    private static async Task WriteJournalAsync(HttpContext context)
    {
        if (!TryParse(context.Request.Query, out var filter, out var error))
        {
            context.Response.Headers.CacheControl = "no-store";
            await MockResponses.ErrorAsync(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
            return;
        }

        var journal = context.RequestServices.GetRequiredService<IRequestJournal>();
        IReadOnlyList<RequestRecord> records;
        var complete = true;
        if (filter.Wait is { } wait && journal is RequestJournal ring)
        {
            IReadOnlyList<RequestRecord> matches;
            try
            {
                (matches, complete) = await ring.WaitCoreAsync(filter.Matches, filter.Count, wait, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
            // Every match the journal holds now; the wait's own matches if a reset cleared them meanwhile.
            records = journal.All.Where(filter.Matches).ToArray();
            if (records.Count < matches.Count)
            {
                records = matches;
            }
        }
        else
        {
            records = journal.All.Where(filter.Matches).ToArray();
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var document = new RequestJournalDocument(journal.Capacity, records.Count, complete, records);
        await JsonSerializer.SerializeAsync(context.Response.Body, document, RequestJsonContext.Default.RequestJournalDocument, context.RequestAborted)
            .ConfigureAwait(false);
    }

    internal static bool TryParse(IQueryCollection query, out JournalFilter filter, out string error)
    {
        filter = new JournalFilter();
        error = string.Empty;
        if (Single(query, "method", ref error) is { } method)
        {
            if (method.Length == 0 || !method.All(static c => char.IsAsciiLetter(c)))
            {
                error = $"method must be an HTTP method such as GET, not '{method}'.";
                return false;
            }
            filter.Method = method.ToUpperInvariant();
        }
        if (Single(query, "path", ref error) is { } path)
        {
            if (path.Length == 0 || path[0] != '/')
            {
                error = $"path must start with '/', not '{path}'.";
                return false;
            }
            filter.Path = path;
        }
        if (Single(query, "wait", ref error) is { } waitText)
        {
            if (!double.TryParse(waitText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
                || !double.IsFinite(seconds) || seconds > MaxWaitSeconds)
            {
                error = $"wait must be a number of seconds from 0 to {MaxWaitSeconds}, not '{waitText}'.";
                return false;
            }
            filter.Wait = TimeSpan.FromSeconds(seconds);
        }
        if (Single(query, "count", ref error) is { } countText)
        {
            if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            {
                error = $"count must be a whole number of at least 1, not '{countText}'.";
                return false;
            }
            filter.Count = count;
        }
        return error.Length == 0;
    }

    private static string? Single(IQueryCollection query, string name, ref string error)
    {
        if (!query.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }
        if (values.Count > 1)
        {
            error = $"{name} may be given once.";
            return null;
        }
        return values[0] ?? string.Empty;
    }

    internal sealed class JournalFilter
    {
        public string? Method { get; set; }

        public string? Path { get; set; }

        public TimeSpan? Wait { get; set; }

        public int Count { get; set; } = 1;

        public bool Matches(RequestRecord record)
        {
            if (Method is not null && !string.Equals(record.Method, Method, StringComparison.Ordinal))
            {
                return false;
            }
            if (Path is null)
            {
                return true;
            }
            return Path.EndsWith('*')
                ? record.Path.StartsWith(Path.AsSpan(0, Path.Length - 1), StringComparison.Ordinal)
                : string.Equals(record.Path, Path, StringComparison.Ordinal);
        }
    }
}

/// <summary>The JSON document of the request journal endpoint.</summary>
internal sealed record RequestJournalDocument(int Capacity, int Count, bool Complete, IReadOnlyList<RequestRecord> Records);

/// <summary>Source-generated JSON metadata (no reflection: trim and AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RequestJournalDocument))]
[JsonSerializable(typeof(RequestRecord))]
internal sealed partial class RequestJsonContext : JsonSerializerContext
{
}
