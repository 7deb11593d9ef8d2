// Shared source: how webhooks are signed and retried (spec W-20, W-21). Compiled into the runtime (the enums public in
// Moclojer.Runtime.Webhooks: generated code names their members) and into the generator (internal, Moclojer.Generators.Shared:
// the parser checks names, secrets and templates with the same rules the runtime applies).

using System;
using System.Collections.Generic;

#if MOCLOJER_RUNTIME
namespace Moclojer.Runtime.Webhooks;
#else
namespace Moclojer.Generators.Shared;
#endif

/// <summary>How a webhook is signed (W-20). Generated code names the members by their C# names.</summary>
#if MOCLOJER_RUNTIME
public
#else
internal
#endif
enum WebhookSignatureScheme
{
    /// <summary>
    /// <c>standard-webhooks</c>: <c>webhook-id</c>, <c>webhook-timestamp</c> (Unix seconds) and
    /// <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>; the secret is <c>whsec_&lt;base64 key&gt;</c>.
    /// </summary>
    StandardWebhooks,

    /// <summary><c>github</c>: <c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>.</summary>
    GitHub,

    /// <summary><c>stripe</c>: <c>Stripe-Signature: t=&lt;Unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c>.</summary>
    Stripe,

    /// <summary><c>slack</c>: <c>X-Slack-Request-Timestamp</c> and <c>X-Slack-Signature: v0=&lt;hex HMAC-SHA256 of "v0:timestamp:body"&gt;</c>.</summary>
    Slack,

    /// <summary><c>hmac</c>: a header, an algorithm, an encoding, a prefix and a signed template of one's own.</summary>
    Hmac,
}

/// <summary>The hash of an <c>hmac</c> signature.</summary>
#if MOCLOJER_RUNTIME
public
#else
internal
#endif
enum WebhookHmacAlgorithm
{
    /// <summary>HMAC-SHA1.</summary>
    Sha1,

    /// <summary>HMAC-SHA256 (the default).</summary>
    Sha256,

    /// <summary>HMAC-SHA512.</summary>
    Sha512,
}

/// <summary>How an <c>hmac</c> signature is written.</summary>
#if MOCLOJER_RUNTIME
public
#else
internal
#endif
enum WebhookSignatureEncoding
{
    /// <summary>Lower-case hexadecimal (the default).</summary>
    Hex,

    /// <summary>Standard base64 with padding.</summary>
    Base64,
}

/// <summary>How the wait between retries grows (W-21).</summary>
#if MOCLOJER_RUNTIME
public
#else
internal
#endif
enum WebhookRetryBackoff
{
    /// <summary>Every retry waits <c>delay</c>.</summary>
    Fixed,

    /// <summary>Retry n waits <c>delay × 2^(n-1)</c>, at most <c>max-delay</c> (the default).</summary>
    Exponential,
}

/// <summary>One piece of an <c>hmac</c> <c>signed</c> template: literal text or one of <c>{id}</c>, <c>{timestamp}</c>, <c>{body}</c>.</summary>
internal enum SignedPartKind
{
    Literal,
    Id,
    Timestamp,
    Body,
}

/// <summary>The rules both the build (checks) and the runtime (signing) apply to signatures and retries.</summary>
internal static class WebhookDeliveryRules
{
    /// <summary>The prefix of a Standard Webhooks secret.</summary>
    public const string StandardSecretPrefix = "whsec_";

    /// <summary>The header that carries the delivery id of webhooks that are not Standard Webhooks (W-21).</summary>
    public const string DeliveryHeader = "X-Moclojer-Delivery";

    /// <summary>The default header of the timestamp an <c>hmac</c> signature's <c>{timestamp}</c> stands for.</summary>
    public const string DefaultTimestampHeader = "X-Moclojer-Timestamp";

    /// <summary>The most attempts a webhook may have (the first one included).</summary>
    public const int MaxAttempts = 100;

    /// <summary>The longest wait before a retry, in seconds (one day).</summary>
    public const double MaxRetryDelaySeconds = 86400;

    /// <summary>The default <c>delay</c> of <c>retry</c>, in seconds.</summary>
    public const double DefaultRetryDelaySeconds = 1;

    /// <summary>The default <c>max-delay</c> of <c>retry</c>, in seconds.</summary>
    public const double DefaultRetryMaxDelaySeconds = 300;

    /// <summary>The scheme names as written in a mock file, in the order the docs list them.</summary>
    public static readonly string[] SchemeNames = ["standard-webhooks", "github", "stripe", "slack", "hmac"];

    public static bool TryParseScheme(string name, out WebhookSignatureScheme scheme)
    {
        var index = Array.IndexOf(SchemeNames, name);
        scheme = index < 0 ? default : (WebhookSignatureScheme)index;
        return index >= 0;
    }

    public static bool TryParseAlgorithm(string name, out WebhookHmacAlgorithm algorithm)
    {
        switch (name)
        {
            case "sha1": algorithm = WebhookHmacAlgorithm.Sha1; return true;
            case "sha256": algorithm = WebhookHmacAlgorithm.Sha256; return true;
            case "sha512": algorithm = WebhookHmacAlgorithm.Sha512; return true;
            default: algorithm = WebhookHmacAlgorithm.Sha256; return false;
        }
    }

    public static bool TryParseEncoding(string name, out WebhookSignatureEncoding encoding)
    {
        switch (name)
        {
            case "hex": encoding = WebhookSignatureEncoding.Hex; return true;
            case "base64": encoding = WebhookSignatureEncoding.Base64; return true;
            default: encoding = WebhookSignatureEncoding.Hex; return false;
        }
    }

    public static bool TryParseBackoff(string name, out WebhookRetryBackoff backoff)
    {
        switch (name)
        {
            case "fixed": backoff = WebhookRetryBackoff.Fixed; return true;
            case "exponential": backoff = WebhookRetryBackoff.Exponential; return true;
            default: backoff = WebhookRetryBackoff.Exponential; return false;
        }
    }

    /// <summary>
    /// The HMAC key of a Standard Webhooks secret: <c>whsec_</c> followed by standard base64 of at least one byte.
    /// </summary>
    /// <remarks>On failure, <paramref name="error"/> says why the value is not a secret (for a diagnostic or a journal record).</remarks>
    public static bool TryDecodeStandardSecret(string secret, out byte[] key, out string error)
    {
        key = [];
        if (!secret.StartsWith(StandardSecretPrefix, StringComparison.Ordinal))
        {
            error = "a standard-webhooks secret starts with 'whsec_' followed by the base64 key";
            return false;
        }

        var encoded = secret.Substring(StandardSecretPrefix.Length);
        try
        {
            key = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            error = "the text after 'whsec_' is not valid base64";
            return false;
        }

        if (key.Length == 0)
        {
            error = "the key after 'whsec_' is empty";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>
    /// Reads an <c>hmac</c> <c>signed</c> template: literal text with <c>{id}</c>, <c>{timestamp}</c> and <c>{body}</c>.
    /// Any other brace is an error, so a typo such as <c>{ts}</c> is caught when the project builds.
    /// </summary>
    public static bool TryParseSigned(string template, out List<(SignedPartKind Kind, string Text)> parts, out string error)
    {
        parts = [];
        var literal = new System.Text.StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '}')
            {
                error = "'}' at position " + (i + 1) + " closes nothing; the placeholders are {id}, {timestamp} and {body}";
                return false;
            }

            if (c != '{')
            {
                literal.Append(c);
                i++;
                continue;
            }

            var end = template.IndexOf('}', i + 1);
            var name = end < 0 ? null : template.Substring(i + 1, end - i - 1);
            SignedPartKind kind;
            switch (name)
            {
                case "id": kind = SignedPartKind.Id; break;
                case "timestamp": kind = SignedPartKind.Timestamp; break;
                case "body": kind = SignedPartKind.Body; break;
                default:
                    error = end < 0
                        ? "'{' at position " + (i + 1) + " is not closed; the placeholders are {id}, {timestamp} and {body}"
                        : "'{" + name + "}' is not a placeholder; use {id}, {timestamp} or {body}";
                    return false;
            }

            if (literal.Length > 0)
            {
                parts.Add((SignedPartKind.Literal, literal.ToString()));
                literal.Clear();
            }

            parts.Add((kind, string.Empty));
            i = end + 1;
        }

        if (literal.Length > 0)
        {
            parts.Add((SignedPartKind.Literal, literal.ToString()));
        }

        error = string.Empty;
        return true;
    }

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 for the first retry), in seconds: <c>delay</c>, doubled
    /// for each earlier retry when exponential, at most <c>max-delay</c>.
    /// </summary>
    public static double RetryDelaySeconds(WebhookRetryBackoff backoff, double delay, double maxDelay, int retry)
    {
        var wait = delay;
        if (backoff == WebhookRetryBackoff.Exponential)
        {
            for (var n = 1; n < retry && wait < maxDelay; n++)
            {
                wait *= 2;
            }
        }

        return Math.Min(wait, maxDelay);
    }
}
