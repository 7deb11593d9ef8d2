using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Moclojer.Runtime.Webhooks;

/// <summary>
/// How a webhook is signed (spec W-20): the scheme, where the secret comes from and, for <see cref="WebhookSignatureScheme.Hmac"/>,
/// the header, algorithm, encoding, prefix and signed text. Generated code creates one per webhook as a static field;
/// the dispatcher signs each attempt when it is sent, with the timestamp of that moment.
/// </summary>
/// <remarks>
/// The secret of <see cref="WebhookSignatureScheme.StandardWebhooks"/> is <c>whsec_&lt;base64 key&gt;</c> and the key is the
/// decoded bytes; every other scheme uses the secret's UTF-8 bytes as the key, as those providers do.
/// </remarks>
public sealed class WebhookSignature
{
    private readonly List<(SignedPartKind Kind, string Text)>? _signed;
    private readonly byte[]? _literalKey;
    private readonly string? _literalKeyError;

    /// <param name="scheme">The scheme.</param>
    /// <param name="secret">A literal secret; <see langword="null"/> when <paramref name="secretFrom"/> is given.</param>
    /// <param name="secretFrom">A configuration key (such as <c>Moclojer:Secrets:Payments</c>) read when a webhook is sent.</param>
    /// <param name="header">For <see cref="WebhookSignatureScheme.Hmac"/>: the header that carries the signature.</param>
    /// <param name="algorithm">For <see cref="WebhookSignatureScheme.Hmac"/>: the hash.</param>
    /// <param name="encoding">For <see cref="WebhookSignatureScheme.Hmac"/>: how the signature is written.</param>
    /// <param name="prefix">For <see cref="WebhookSignatureScheme.Hmac"/>: text written before the signature (such as <c>sha256=</c>).</param>
    /// <param name="signed">
    /// For <see cref="WebhookSignatureScheme.Hmac"/>: what is signed, a template over <c>{id}</c>, <c>{timestamp}</c> and
    /// <c>{body}</c>; <see langword="null"/> signs the body.
    /// </param>
    /// <param name="timestampHeader">For <see cref="WebhookSignatureScheme.Hmac"/>: the header that carries <c>{timestamp}</c> (default <c>X-Moclojer-Timestamp</c>).</param>
    public WebhookSignature(
        WebhookSignatureScheme scheme,
        string? secret,
        string? secretFrom,
        string? header = null,
        WebhookHmacAlgorithm algorithm = WebhookHmacAlgorithm.Sha256,
        WebhookSignatureEncoding encoding = WebhookSignatureEncoding.Hex,
        string? prefix = null,
        string? signed = null,
        string? timestampHeader = null)
    {
        if ((secret is null) == (secretFrom is null))
        {
            throw new ArgumentException("Give exactly one of a secret and a configuration key.", nameof(secret));
        }

        if (scheme == WebhookSignatureScheme.Hmac && string.IsNullOrEmpty(header))
        {
            throw new ArgumentException("An hmac signature needs a header.", nameof(header));
        }

        Scheme = scheme;
        Secret = secret;
        SecretFrom = secretFrom;
        Header = header;
        Algorithm = algorithm;
        Encoding = encoding;
        Prefix = prefix;
        Signed = signed;
        TimestampHeader = string.IsNullOrEmpty(timestampHeader) ? WebhookDeliveryRules.DefaultTimestampHeader : timestampHeader;
        if (signed is not null)
        {
            _signed = WebhookDeliveryRules.TryParseSigned(signed, out var parts, out var error) ? parts : throw new ArgumentException(error, nameof(signed));
        }

        if (secret is not null && !TryKey(secret, out _literalKey, out var keyError))
        {
            _literalKeyError = keyError;
        }
    }

    /// <summary>The scheme.</summary>
    public WebhookSignatureScheme Scheme { get; }

    /// <summary>The literal secret, or <see langword="null"/>.</summary>
    public string? Secret { get; }

    /// <summary>The configuration key the secret is read from, or <see langword="null"/>.</summary>
    public string? SecretFrom { get; }

    /// <summary>The signature header of an <c>hmac</c> signature.</summary>
    public string? Header { get; }

    /// <summary>The hash of an <c>hmac</c> signature.</summary>
    public WebhookHmacAlgorithm Algorithm { get; }

    /// <summary>The encoding of an <c>hmac</c> signature.</summary>
    public WebhookSignatureEncoding Encoding { get; }

    /// <summary>The text before an <c>hmac</c> signature.</summary>
    public string? Prefix { get; }

    /// <summary>The signed template of an <c>hmac</c> signature; <see langword="null"/> signs the body.</summary>
    public string? Signed { get; }

    /// <summary>The header of the timestamp of an <c>hmac</c> signature that signs <c>{timestamp}</c>.</summary>
    public string TimestampHeader { get; }

    /// <summary>Whether the signature uses the delivery id (so the id header must be sent).</summary>
    internal bool UsesId => Scheme == WebhookSignatureScheme.StandardWebhooks || (_signed?.Exists(p => p.Kind == SignedPartKind.Id) ?? false);

    /// <summary>
    /// The signature headers of one attempt, or why there are none (a <c>secret-from</c> key without a usable value).
    /// A failure means the webhook must not be sent: it is never sent unsigned.
    /// </summary>
    /// <param name="configuration">Where <see cref="SecretFrom"/> is read; <see langword="null"/> when there is no configuration.</param>
    /// <param name="id">The delivery id, the same for every attempt.</param>
    /// <param name="timestamp">When this attempt is sent, in Unix seconds.</param>
    /// <param name="body">The body as sent (empty when there is none).</param>
    /// <param name="headers">Receives the headers to set, replacing any configured header of the same name.</param>
    /// <param name="error">Why the webhook cannot be signed.</param>
    public bool TrySign(IConfiguration? configuration, string id, long timestamp, ReadOnlySpan<byte> body, List<KeyValuePair<string, string>> headers, out string error)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!TryResolveKey(configuration, out var key, out error))
        {
            return false;
        }

        var time = timestamp.ToString(CultureInfo.InvariantCulture);
        switch (Scheme)
        {
            case WebhookSignatureScheme.StandardWebhooks:
                headers.Add(new("webhook-id", id));
                headers.Add(new("webhook-timestamp", time));
                headers.Add(new("webhook-signature", "v1," + Convert.ToBase64String(Mac(WebhookHmacAlgorithm.Sha256, key, Concat(id + "." + time + ".", body)))));
                break;

            case WebhookSignatureScheme.GitHub:
                headers.Add(new("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(Mac(WebhookHmacAlgorithm.Sha256, key, body))));
                break;

            case WebhookSignatureScheme.Stripe:
                headers.Add(new("Stripe-Signature", "t=" + time + ",v1=" + Convert.ToHexStringLower(Mac(WebhookHmacAlgorithm.Sha256, key, Concat(time + ".", body)))));
                break;

            case WebhookSignatureScheme.Slack:
                headers.Add(new("X-Slack-Request-Timestamp", time));
                headers.Add(new("X-Slack-Signature", "v0=" + Convert.ToHexStringLower(Mac(WebhookHmacAlgorithm.Sha256, key, Concat("v0:" + time + ":", body)))));
                break;

            default:
                var signed = _signed is null ? body.ToArray() : Expand(_signed, id, time, body);
                var mac = Mac(Algorithm, key, signed);
                var text = Encoding == WebhookSignatureEncoding.Base64 ? Convert.ToBase64String(mac) : Convert.ToHexStringLower(mac);
                if (_signed?.Exists(p => p.Kind == SignedPartKind.Timestamp) == true)
                {
                    headers.Add(new(TimestampHeader, time));
                }

                headers.Add(new(Header!, (Prefix ?? string.Empty) + text));
                break;
        }

        return true;
    }

    private bool TryResolveKey(IConfiguration? configuration, out byte[] key, out string error)
    {
        if (Secret is not null)
        {
            key = _literalKey ?? [];
            error = _literalKeyError ?? string.Empty;
            return _literalKey is not null;
        }

        var value = configuration?[SecretFrom!];
        if (string.IsNullOrEmpty(value))
        {
            key = [];
            error = $"the signing secret is missing: the configuration key '{SecretFrom}' (secret-from) has no value; set it, for example with the environment variable {SecretFrom!.Replace(":", "__", StringComparison.Ordinal)}";
            return false;
        }

        if (!TryKey(value, out key, out error))
        {
            error = $"the signing secret in the configuration key '{SecretFrom}' is invalid: {error}";
            return false;
        }

        return true;
    }

    private bool TryKey(string secret, out byte[] key, out string error)
    {
        if (Scheme == WebhookSignatureScheme.StandardWebhooks)
        {
            return WebhookDeliveryRules.TryDecodeStandardSecret(secret, out key, out error);
        }

        key = System.Text.Encoding.UTF8.GetBytes(secret);
        error = key.Length == 0 ? "the secret is empty" : string.Empty;
        return key.Length > 0;
    }

    private static byte[] Concat(string head, ReadOnlySpan<byte> body)
    {
        var count = System.Text.Encoding.UTF8.GetByteCount(head);
        var result = new byte[count + body.Length];
        System.Text.Encoding.UTF8.GetBytes(head, result);
        body.CopyTo(result.AsSpan(count));
        return result;
    }

    private static byte[] Expand(List<(SignedPartKind Kind, string Text)> parts, string id, string time, ReadOnlySpan<byte> body)
    {
        var buffer = new List<byte>(body.Length + 64);
        foreach (var (kind, text) in parts)
        {
            switch (kind)
            {
                case SignedPartKind.Id: buffer.AddRange(System.Text.Encoding.UTF8.GetBytes(id)); break;
                case SignedPartKind.Timestamp: buffer.AddRange(System.Text.Encoding.UTF8.GetBytes(time)); break;
                case SignedPartKind.Body: buffer.AddRange(body.ToArray()); break;
                default: buffer.AddRange(System.Text.Encoding.UTF8.GetBytes(text)); break;
            }
        }

        return [.. buffer];
    }

    private static byte[] Mac(WebhookHmacAlgorithm algorithm, byte[] key, ReadOnlySpan<byte> data) => algorithm switch
    {
        WebhookHmacAlgorithm.Sha1 => HMACSHA1.HashData(key, data),
        WebhookHmacAlgorithm.Sha512 => HMACSHA512.HashData(key, data),
        _ => HMACSHA256.HashData(key, data),
    };
}
