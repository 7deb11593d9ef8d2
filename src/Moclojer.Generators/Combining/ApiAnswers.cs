using Moclojer.Generators.Model;

namespace Moclojer.Generators.Combining;

/// <summary>
/// What an endpoint can answer besides its configured response, as both API documents describe it: the 400 of a
/// value that does not fit its type (P-3, Q-3), the 429 of a rate limit (RL-6) and the 500 of an external body that
/// can fail at run time.
/// </summary>
internal static class ApiAnswers
{
    /// <summary>RL-5, RL-6: the headers of every answer of a rate-limited endpoint, the 429 included.</summary>
    public static readonly string[] RateLimitHeaders = ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"];

    public const string InvalidParameterDescription = "A path or query value does not fit its declared type (P-3, Q-3).";

    public const string RateLimitedDescription = "Rate limit exceeded (RL-6).";

    public const string FailureDescription = "The external body cannot be read or rendered (X-6).";

    /// <summary>Whether a request can get the 400 of P-3 / Q-3: a path or query parameter with a type other than string.</summary>
    public static bool ChecksParameters(EndpointSpec endpoint) =>
        endpoint.Segments.Any(s => s.IsParameter && s.Type != MockParamType.String) || endpoint.Query.Any(q => q.Type != MockParamType.String);

    /// <summary>The build-time external file's template cannot be rendered: every request gets the 500 .</summary>
    public static bool AlwaysFails(EndpointSpec endpoint) => endpoint.Response.External is { ContentError: not null };

    /// <summary>An external body read per request (a templated or remote path) can give 500 .</summary>
    public static bool MayFail(EndpointSpec endpoint) => endpoint.Response.External is { IsBuildTime: false };

    /// <summary>The body as the build knows it: the body template, or a build-time external file's content.</summary>
    public static TemplateSpec? KnownBody(ResponseSpec response) =>
        response.External is { } external ? (external.IsBuildTime ? external.Content : null) : response.Body;

    /// <summary>Whether the configured answer carries a body: not for HEAD, 204 or 304 (the runtime sends none).</summary>
    public static bool SendsBody(EndpointSpec endpoint)
    {
        if (endpoint.Method == "HEAD" || endpoint.Response.Status is 204 or 304)
        {
            return false;
        }
        return endpoint.Response.External is { IsBuildTime: false } || KnownBody(endpoint.Response) is { Parts.Count: > 0 } body && !(body.IsStatic && body.StaticText.Length == 0);
    }

    /// <summary>
    /// S-2, S-3, X-3: the media type of the configured answer: the configured Content-Type without parameters
    /// (<c>*/*</c> when it is a template), else JSON.
    /// </summary>
    public static string MediaType(ResponseSpec response)
    {
        var contentType = response.Headers.FirstOrDefault(h => string.Equals(h.Name, "Content-Type", StringComparison.OrdinalIgnoreCase))?.Value;
        if (contentType is null)
        {
            return "application/json";
        }
        if (!contentType.IsStatic)
        {
            return "*/*";
        }
        var mediaType = contentType.StaticText.Split(';')[0].Trim();
        return mediaType.Length == 0 ? "application/json" : mediaType;
    }

    /// <summary>S-11: <c>application/json</c> or any <c>+json</c> type.</summary>
    public static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
}
