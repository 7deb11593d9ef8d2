using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Moclojer.Generators.EndToEnd.Infrastructure;

/// <summary>case.json of a runtime case (conformance README section 1.2), read into plain records.</summary>
public sealed record CaseDefinition(string Description, IReadOnlyList<string> Spec, IReadOnlyList<Step> Steps)
{
    public static CaseDefinition Load(string path) => Parse(File.ReadAllBytes(path));

    public static CaseDefinition Parse(ReadOnlyMemory<byte> json)
    {
        // Cloned elements outlive the document; expectations stay JsonElements for the matcher.
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement.Clone();
        var steps = root.GetProperty("steps").EnumerateArray().Select((s, i) => Step.Parse(s, i + 1)).ToList();
        var spec = root.TryGetProperty("spec", out var sp)
            ? sp.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
            : [];
        return new CaseDefinition(root.Str("description") ?? "", spec, steps);
    }
}

public sealed record Step(
    int Number,
    string? Name,
    int DelayMs,
    StepRequest Request,
    int Repeat,
    ResponseExpectation Expect,
    IReadOnlyList<WebhookExpectation>? Webhooks,
    bool NoWebhook,
    int? ObserveMs)
{
    /// <summary>"step 3 'name' (GET /path)": how failures name the step.</summary>
    public string Label =>
        $"step {Number}{(Name is null ? "" : $" '{Name}'")} ({Request.Method} {Request.Target})";

    /// <summary>
    /// README 1.3: max(after_ms_max) + 500 with webhooks (500 for an empty list), 2000 with no_webhook, else no window.
    /// </summary>
    public int EffectiveObserveMs =>
        ObserveMs
        ?? (Webhooks != null ? Webhooks.Select(w => w.AfterMsMax).DefaultIfEmpty(0).Max() + 500 : NoWebhook ? 2000 : 0);

    public bool ChecksWebhooks => Webhooks != null || NoWebhook;

    public static Step Parse(JsonElement e, int number)
    {
        IReadOnlyList<WebhookExpectation>? webhooks = e.TryGetProperty("webhooks", out var w)
            ? w.EnumerateArray().Select(WebhookExpectation.Parse).ToList()
            : null;
        return new Step(
            number,
            e.Str("name"),
            e.Int("delay_ms") ?? 0,
            StepRequest.Parse(e.GetProperty("request")),
            e.Int("repeat") ?? 1,
            ResponseExpectation.Parse(e.GetProperty("expect")),
            webhooks,
            e.TryGetProperty("no_webhook", out var nw) && nw.ValueKind == JsonValueKind.True,
            e.Int("observe_ms"));
    }
}

/// <summary>What to send. Target is path plus the encoded query, sent verbatim on the request line.</summary>
public sealed record StepRequest(
    string Method,
    string Target,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body,
    bool AddJsonContentType)
{
    private static readonly JsonWriterOptions CompactJson = new()
    {
        Indented = false,
        // Send non-ASCII as UTF-8, as an ordinary client would; the server only sees parsed values anyway.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static StepRequest Parse(JsonElement e)
    {
        var method = e.Str("method") ?? "GET";
        var path = e.Str("path") ?? "/";
        var target = e.TryGetProperty("query", out var q) ? AppendQuery(path, q) : path;

        var headers = new List<KeyValuePair<string, string>>();
        if (e.TryGetProperty("headers", out var h))
        {
            foreach (var p in h.EnumerateObject())
            {
                headers.Add(new(p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText()));
            }
        }

        byte[]? body = null;
        var addJson = false;
        if (e.TryGetProperty("body", out var b))
        {
            body = CompactUtf8(b);
            addJson = !headers.Any(x => x.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase));
        }
        else if (e.TryGetProperty("body_text", out var bt))
        {
            body = Encoding.UTF8.GetBytes(bt.GetString() ?? "");
        }

        return new StepRequest(method, target, headers, body, addJson);
    }

    /// <summary>
    /// README 1.2 `query`: names and values percent-encoded as URI components (UTF-8, space as %20); an array
    /// value repeats the key in order; joined to the path with '?' or '&amp;'.
    /// </summary>
    public static string AppendQuery(string path, JsonElement query)
    {
        var parts = new List<string>();
        foreach (var p in query.EnumerateObject())
        {
            var values = p.Value.ValueKind == JsonValueKind.Array
                ? p.Value.EnumerateArray().Select(v => v.GetString() ?? "")
                : [p.Value.GetString() ?? ""];
            foreach (var v in values)
            {
                // EscapeDataString leaves only RFC 3986 unreserved characters unescaped.
                parts.Add(Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(v));
            }
        }

        if (parts.Count == 0)
        {
            return path;
        }

        return path + (path.Contains('?') ? "&" : "?") + string.Join("&", parts);
    }

    public static byte[] CompactUtf8(JsonElement value)
    {
        using var ms = new MemoryStream();
        using (var writer = new Utf8JsonWriter(ms, CompactJson))
        {
            // WriteTo keeps numbers' original text (1.50 stays 1.50), which T-5 relies on.
            value.WriteTo(writer);
        }

        return ms.ToArray();
    }
}

public sealed record ResponseExpectation(
    int Status,
    IReadOnlyList<KeyValuePair<string, JsonElement>> Headers,
    IReadOnlyList<string> HeadersAbsent,
    JsonElement? Json,
    JsonElement? JsonSubset,
    string? Text,
    int? MaxLatencyMs)
{
    public static ResponseExpectation Parse(JsonElement e) => new(
        e.GetProperty("status").GetInt32(),
        e.Pairs("headers"),
        e.Strings("headers_absent"),
        e.Opt("json"),
        e.Opt("json_subset"),
        e.Str("text"),
        e.Int("max_latency_ms"));
}

public sealed record WebhookExpectation(
    string Method,
    string UrlPath,
    JsonElement? Json,
    string? Text,
    IReadOnlyList<KeyValuePair<string, JsonElement>> Headers,
    IReadOnlyList<string> HeadersAbsent,
    int AfterMsMin,
    int AfterMsMax)
{
    public string Label => $"{Method} {UrlPath}";

    public static WebhookExpectation Parse(JsonElement e) => new(
        e.Str("method") ?? "",
        e.Str("url_path") ?? "",
        e.Opt("json"),
        e.Str("text"),
        e.Pairs("headers"),
        e.Strings("headers_absent"),
        e.Int("after_ms_min") ?? 0,
        e.Int("after_ms_max") ?? int.MaxValue / 2);
}

/// <summary>Small readers for optional case.json fields.</summary>
internal static class JsonElementReading
{
    public static string? Str(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static int? Int(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

    public static JsonElement? Opt(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.Clone() : null;

    public static IReadOnlyList<string> Strings(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];

    public static IReadOnlyList<KeyValuePair<string, JsonElement>> Pairs(this JsonElement e, string name) =>
        e.TryGetProperty(name, out var v)
            ? v.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value.Clone())).ToList()
            : [];
}
