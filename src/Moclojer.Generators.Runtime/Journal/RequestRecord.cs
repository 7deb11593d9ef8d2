using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Moclojer.Runtime;

/// <summary>
/// Why an unmatched request did not reach the closest endpoint of the mock files: the endpoint (as
/// <c>POST /checkout/:orderId|int</c>) and a human reason such as <c>path segment 'order' differs from 'orders'</c>,
/// <c>host api.example.com differs from shop.example.com</c> or <c>method POST, the path allows GET, HEAD</c>.
/// </summary>
public sealed record NearMiss(string Endpoint, string Reason)
{
    public override string ToString() => Endpoint + ": " + Reason;
}

/// <summary>One request the mock received, as kept by <see cref="IRequestJournal"/>.</summary>
public sealed class RequestRecord
{
    private string? _bodyText;

    /// <summary>The record's position in the journal, from 1, in the order requests were answered.</summary>
    public long Sequence { get; internal set; }

    /// <summary>The HTTP method in upper case.</summary>
    public required string Method { get; init; }

    /// <summary>The decoded request path, e.g. <c>/checkout/42</c>.</summary>
    public required string Path { get; init; }

    /// <summary>The raw query string with its leading <c>?</c>, or "" when there is none.</summary>
    public required string QueryString { get; init; }

    /// <summary>The request's <c>Host</c> header value (with its port when one was sent).</summary>
    public required string Host { get; init; }

    /// <summary>
    /// The request headers in the order the server lists them (Kestrel: the headers it knows first, then the others); a
    /// header sent several times has its values joined with ", ".
    /// </summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    /// <summary>
    /// The body bytes as recorded: at most <see cref="MoclojerRequestOptions.MaxBodyBytes"/> (64 KiB by default);
    /// see <see cref="BodyTruncated"/>. Empty when the request had no body.
    /// </summary>
    [JsonIgnore]
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The recorded body as UTF-8 text (invalid sequences replaced).</summary>
    [JsonPropertyName("body")]
    public string BodyText => _bodyText ??= Body.IsEmpty ? string.Empty : Encoding.UTF8.GetString(Body.Span);

    /// <summary>Whether the body was longer than the recorded <see cref="Body"/>.</summary>
    public bool BodyTruncated { get; init; }

    /// <summary>When the request was received (from the service's <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The endpoint of the mock files that answered, as <c>POST /checkout/:orderId|int</c>; null when none did.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The status code answered.</summary>
    public required int StatusCode { get; init; }

    /// <summary>The raw (percent-decoded) values of the matched endpoint's path parameters, in declaration order.</summary>
    public IReadOnlyList<string> PathValues { get; init; } = [];

    /// <summary>For a request no endpoint matched: the closest endpoint and why it did not match (null when there is none).</summary>
    public NearMiss? NearMiss { get; init; }

    /// <summary>Whether an endpoint of the mock files answered the request.</summary>
    [JsonIgnore]
    public bool Matched => Endpoint is not null;

    /// <summary>Whether the router found no endpoint (answered 404 or 405); built-in answers such as <c>GET /</c> are not.</summary>
    [JsonIgnore]
    public bool Unmatched => Endpoint is null && StatusCode is 404 or 405;

    /// <summary>The first value of a header, any letter case; null when absent.</summary>
    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }
        return null;
    }

    /// <summary>A one-line description, used in timeout messages: <c>#3 POST /checkout/42 -> 202 POST /checkout/:orderId|int</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"#{Sequence} {Method} {Path}{QueryString} -> {StatusCode}");
        if (Endpoint is not null)
        {
            text.Append(' ').Append(Endpoint);
        }
        else if (NearMiss is not null)
        {
            text.Append(" (unmatched; nearest ").Append(NearMiss.Endpoint).Append(": ").Append(NearMiss.Reason).Append(')');
        }
        else if (StatusCode is 404 or 405)
        {
            text.Append(" (unmatched)");
        }
        if (!Body.IsEmpty)
        {
            text.Append(CultureInfo.InvariantCulture, $" body {Body.Length} B{(BodyTruncated ? " (truncated)" : string.Empty)}");
        }
        return text.ToString();
    }
}
