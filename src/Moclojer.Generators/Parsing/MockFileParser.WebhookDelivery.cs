using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>
/// A webhook's <c>signature</c> (W-20), <c>retry</c> (W-21) and <c>sleep-time</c> range (W-22), and the file's first
/// <c>- webhook-defaults:</c> item (F-1) whose settings every webhook of the file inherits unless it sets them itself.
/// </summary>
internal sealed partial class MockFileParser
{
    private static readonly string[] WebhookDefaultsKeys = ["signature", "retry"];
    private static readonly string[] SignatureKeys = ["scheme", "secret", "secret-from", "header", "algorithm", "encoding", "prefix", "signed", "timestamp-header"];
    private static readonly string[] HmacOnlyKeys = ["header", "algorithm", "encoding", "prefix", "signed", "timestamp-header"];
    private static readonly string[] RetryKeys = ["attempts", "backoff", "delay", "max-delay"];
    private static readonly string[] SleepRangeKeys = ["min", "max"];

    /// <summary>The settings of the file's <c>webhook-defaults</c>, once read; webhooks read after it inherit them.</summary>
    private WebhookDefaultsSpec? _webhookDefaults;
    private bool _sawWebhookDefaults;

    private void ReadWebhookDefaults(YamlScalarNode key, YamlNode value, bool first)
    {
        if (!first || _sawWebhookDefaults)
        {
            Report(DiagnosticKind.InvalidItem, At(key), _sawWebhookDefaults
                ? "a second 'webhook-defaults' (a file has at most one)"
                : "a 'webhook-defaults' that is not the first item (move it to the top of the file, where it applies to every webhook)");
            return;
        }

        _sawWebhookDefaults = true;
        if (value is not YamlMappingNode mapping)
        {
            if (!IsNull(value))
            {
                Report(DiagnosticKind.InvalidValueType, At(key), "webhook-defaults", "a mapping such as {signature: {scheme: github, secret-from: Moclojer:Secrets:GitHub}}", Describe(value));
            }
            return;
        }

        var keys = Keys(mapping, "webhook-defaults", WebhookDefaultsKeys);
        SignatureSpec? signature = null;
        RetrySpec? retry = null;
        var valid = true;
        if (keys.TryGetValue("signature", out var signatureEntry))
        {
            valid &= ReadSignature(signatureEntry.Key, signatureEntry.Value, out signature);
        }
        if (keys.TryGetValue("retry", out var retryEntry))
        {
            valid &= ReadRetry(retryEntry.Key, retryEntry.Value, out retry);
        }
        _webhookDefaults = valid ? new WebhookDefaultsSpec(signature, retry) : null;
    }

    /// <summary><c>none</c> (or an empty value) turns off what <c>webhook-defaults</c> set.</summary>
    private static bool IsNone(YamlNode node) => IsNull(node) || node is YamlScalarNode { Value: "none" };

    /// <summary>W-20. False when the signature has an error (reported).</summary>
    private bool ReadSignature(YamlScalarNode key, YamlNode value, out SignatureSpec? signature)
    {
        signature = null;
        if (IsNone(value))
        {
            return true;
        }
        if (value is not YamlMappingNode mapping)
        {
            Report(DiagnosticKind.InvalidSignature, ValueAt(key, value),
                Describe(value) + " is not a signature; write a mapping such as {scheme: standard-webhooks, secret-from: Moclojer:Secrets:Payments}, or none");
            return false;
        }

        var keys = Keys(mapping, "a signature", SignatureKeys);
        var valid = true;

        var scheme = WebhookSignatureScheme.StandardWebhooks;
        var schemeOk = false;
        if (!keys.TryGetValue("scheme", out var schemeEntry))
        {
            Report(DiagnosticKind.InvalidSignature, At(key), "it has no 'scheme'; use one of " + string.Join(", ", WebhookDeliveryRules.SchemeNames));
            valid = false;
        }
        else if (!TryText(schemeEntry.Key, schemeEntry.Value, "a signature scheme", out var schemeScalar))
        {
            valid = false;
        }
        else if (!WebhookDeliveryRules.TryParseScheme((schemeScalar.Value ?? string.Empty).Trim(), out scheme))
        {
            Report(DiagnosticKind.InvalidSignature, ValueAt(schemeEntry.Key, schemeScalar),
                "'" + DiagnosticText.Excerpt(schemeScalar.Value ?? string.Empty) + "' is not a signature scheme; use one of " + string.Join(", ", WebhookDeliveryRules.SchemeNames));
            valid = false;
        }
        else
        {
            schemeOk = true;
        }

        var hasSecret = keys.TryGetValue("secret", out var secretEntry);
        var hasSecretFrom = keys.TryGetValue("secret-from", out var secretFromEntry);
        string? secret = null;
        string? secretFrom = null;
        if (!hasSecret && !hasSecretFrom)
        {
            Report(DiagnosticKind.MissingSignatureSecret, At(key));
            valid = false;
        }
        else if (hasSecret && hasSecretFrom)
        {
            var second = secretEntry.Key.Start.Line > secretFromEntry.Key.Start.Line ? secretEntry.Key : secretFromEntry.Key;
            Report(DiagnosticKind.InvalidSignature, At(second), "it has both 'secret' and 'secret-from'; keep one");
            valid = false;
        }
        else if (hasSecret)
        {
            valid &= ReadSecret(secretEntry.Key, secretEntry.Value, scheme, schemeOk, out secret);
        }
        else if (TryText(secretFromEntry.Key, secretFromEntry.Value, "a configuration key", out var fromScalar))
        {
            secretFrom = (fromScalar.Value ?? string.Empty).Trim();
            if (secretFrom.Length == 0 || secretFrom.StartsWith(":", StringComparison.Ordinal) || secretFrom.EndsWith(":", StringComparison.Ordinal) || secretFrom.Contains("::"))
            {
                Report(DiagnosticKind.InvalidSignatureSecret, ValueAt(secretFromEntry.Key, fromScalar), "secret-from",
                    "'" + DiagnosticText.Excerpt(fromScalar.Value ?? string.Empty) + "' is not a configuration key; write sections separated by ':', such as Moclojer:Secrets:Payments");
                valid = false;
            }
        }
        else
        {
            valid = false;
        }

        string? header = null, prefix = null, signed = null, timestampHeader = null;
        var algorithm = WebhookHmacAlgorithm.Sha256;
        var encoding = WebhookSignatureEncoding.Hex;
        if (!schemeOk)
        {
            // Options are checked once the scheme is known.
        }
        else if (scheme != WebhookSignatureScheme.Hmac)
        {
            foreach (var name in HmacOnlyKeys)
            {
                if (keys.TryGetValue(name, out var entry))
                {
                    Report(DiagnosticKind.InvalidSignature, At(entry.Key),
                        "'" + name + "' applies only to scheme hmac; scheme " + WebhookDeliveryRules.SchemeNames[(int)scheme] + " always signs the same way");
                    valid = false;
                }
            }
        }
        else
        {
            if (!keys.TryGetValue("header", out var headerEntry))
            {
                Report(DiagnosticKind.InvalidSignature, At(key), "an hmac signature needs 'header', the header that carries it (such as X-Signature)");
                valid = false;
            }
            else
            {
                valid &= ReadHeaderName(headerEntry.Key, headerEntry.Value, out header);
            }
            if (keys.TryGetValue("algorithm", out var algorithmEntry))
            {
                if (!TryText(algorithmEntry.Key, algorithmEntry.Value, "sha1, sha256 or sha512", out var scalar))
                {
                    valid = false;
                }
                else if (!WebhookDeliveryRules.TryParseAlgorithm((scalar.Value ?? string.Empty).Trim(), out algorithm))
                {
                    Report(DiagnosticKind.InvalidSignature, ValueAt(algorithmEntry.Key, scalar), "'" + DiagnosticText.Excerpt(scalar.Value ?? string.Empty) + "' is not an algorithm; use sha1, sha256 or sha512");
                    valid = false;
                }
            }
            if (keys.TryGetValue("encoding", out var encodingEntry))
            {
                if (!TryText(encodingEntry.Key, encodingEntry.Value, "hex or base64", out var scalar))
                {
                    valid = false;
                }
                else if (!WebhookDeliveryRules.TryParseEncoding((scalar.Value ?? string.Empty).Trim(), out encoding))
                {
                    Report(DiagnosticKind.InvalidSignature, ValueAt(encodingEntry.Key, scalar), "'" + DiagnosticText.Excerpt(scalar.Value ?? string.Empty) + "' is not an encoding; use hex or base64");
                    valid = false;
                }
            }
            if (keys.TryGetValue("prefix", out var prefixEntry))
            {
                if (!TryText(prefixEntry.Key, prefixEntry.Value, "text", out var scalar))
                {
                    valid = false;
                }
                else
                {
                    prefix = scalar.Value ?? string.Empty;
                    if (prefix.IndexOfAny(['\r', '\n', '\0']) >= 0)
                    {
                        Report(DiagnosticKind.InvalidSignature, ValueAt(prefixEntry.Key, scalar), "the prefix must be on one line");
                        valid = false;
                    }
                }
            }
            if (keys.TryGetValue("signed", out var signedEntry))
            {
                if (!TryText(signedEntry.Key, signedEntry.Value, "a template over {id}, {timestamp} and {body}", out var scalar))
                {
                    valid = false;
                }
                else if (!WebhookDeliveryRules.TryParseSigned(scalar.Value ?? string.Empty, out _, out var error))
                {
                    Report(DiagnosticKind.InvalidSignature, ValueAt(signedEntry.Key, scalar), "in 'signed', " + error);
                    valid = false;
                }
                else
                {
                    signed = scalar.Value ?? string.Empty;
                }
            }
            if (keys.TryGetValue("timestamp-header", out var timestampEntry))
            {
                valid &= ReadHeaderName(timestampEntry.Key, timestampEntry.Value, out timestampHeader);
            }
        }

        if (!valid)
        {
            return false;
        }
        signature = new SignatureSpec(scheme, secret, secretFrom, header, algorithm, encoding, prefix, signed, timestampHeader);
        return true;
    }

    private bool ReadSecret(YamlScalarNode key, YamlNode value, WebhookSignatureScheme scheme, bool schemeKnown, out string? secret)
    {
        secret = null;
        if (!TryText(key, value, "the secret as text", out var scalar))
        {
            return false;
        }
        var text = scalar.Value ?? string.Empty;
        if (text.Length == 0)
        {
            Report(DiagnosticKind.InvalidSignatureSecret, ValueAt(key, scalar), "secret", "it is empty");
            return false;
        }
        if (schemeKnown && scheme == WebhookSignatureScheme.StandardWebhooks && !WebhookDeliveryRules.TryDecodeStandardSecret(text, out _, out var error))
        {
            Report(DiagnosticKind.InvalidSignatureSecret, ValueAt(key, scalar), "secret", error + " (such as whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw)");
            return false;
        }
        secret = text;
        return true;
    }

    /// <summary>A header name: an HTTP token (letters, digits and <c>!#$%&amp;'*+-.^_`|~</c>).</summary>
    private bool ReadHeaderName(YamlScalarNode key, YamlNode value, out string? name)
    {
        name = null;
        if (!TryText(key, value, "a header name", out var scalar))
        {
            return false;
        }
        var text = (scalar.Value ?? string.Empty).Trim();
        if (text.Length == 0 || text.Any(c => !(c < 128 && (char.IsLetterOrDigit(c) || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0))))
        {
            Report(DiagnosticKind.InvalidSignature, ValueAt(key, scalar), "'" + DiagnosticText.Excerpt(scalar.Value ?? string.Empty) + "' is not a header name");
            return false;
        }
        name = text;
        return true;
    }

    /// <summary>W-21. False when the retry has an error (reported).</summary>
    private bool ReadRetry(YamlScalarNode key, YamlNode value, out RetrySpec? retry)
    {
        retry = null;
        if (IsNone(value))
        {
            return true;
        }
        if (value is not YamlMappingNode mapping)
        {
            Report(DiagnosticKind.InvalidRetry, ValueAt(key, value), Describe(value) + " is not a retry; write a mapping such as {attempts: 5, backoff: exponential, delay: 1, max-delay: 60}, or none");
            return false;
        }

        var keys = Keys(mapping, "a retry", RetryKeys);
        var valid = true;
        var attempts = 0;
        if (!keys.TryGetValue("attempts", out var attemptsEntry))
        {
            Report(DiagnosticKind.InvalidRetry, At(key), "it has no 'attempts' (how many attempts in all, the first included, such as attempts: 5)");
            valid = false;
        }
        else if (!TryNumber(attemptsEntry.Value, out var number) || number != Math.Floor(number) || number < 1 || number > WebhookDeliveryRules.MaxAttempts)
        {
            Report(DiagnosticKind.InvalidRetry, ValueAt(attemptsEntry.Key, attemptsEntry.Value),
                "attempts '" + KeyText(attemptsEntry.Value) + "' must be a whole number from 1 to " + WebhookDeliveryRules.MaxAttempts + " (the first attempt included)");
            valid = false;
        }
        else
        {
            attempts = (int)number;
        }

        var backoff = WebhookRetryBackoff.Exponential;
        if (keys.TryGetValue("backoff", out var backoffEntry)
            && (backoffEntry.Value is not YamlScalarNode backoffScalar || !WebhookDeliveryRules.TryParseBackoff((backoffScalar.Value ?? string.Empty).Trim(), out backoff)))
        {
            Report(DiagnosticKind.InvalidRetry, ValueAt(backoffEntry.Key, backoffEntry.Value), "backoff '" + KeyText(backoffEntry.Value) + "' must be fixed or exponential");
            valid = false;
        }

        var delay = WebhookDeliveryRules.DefaultRetryDelaySeconds;
        if (keys.TryGetValue("delay", out var delayEntry) && !ReadRetrySeconds(delayEntry.Key, delayEntry.Value, "delay", out delay))
        {
            valid = false;
        }

        var maxDelay = Math.Max(WebhookDeliveryRules.DefaultRetryMaxDelaySeconds, delay);
        if (keys.TryGetValue("max-delay", out var maxEntry))
        {
            if (!ReadRetrySeconds(maxEntry.Key, maxEntry.Value, "max-delay", out maxDelay))
            {
                valid = false;
            }
            else if (maxDelay < delay)
            {
                Report(DiagnosticKind.InvalidRetry, ValueAt(maxEntry.Key, maxEntry.Value), "max-delay " + KeyText(maxEntry.Value) + " is shorter than delay " + delay.ToString(System.Globalization.CultureInfo.InvariantCulture));
                valid = false;
            }
        }

        if (!valid)
        {
            return false;
        }
        retry = new RetrySpec(attempts, backoff, delay, maxDelay);
        return true;
    }

    private bool ReadRetrySeconds(YamlScalarNode key, YamlNode value, string name, out double seconds)
    {
        if (TryNumber(value, out seconds) && seconds >= 0 && seconds <= WebhookDeliveryRules.MaxRetryDelaySeconds)
        {
            return true;
        }
        Report(DiagnosticKind.InvalidRetry, ValueAt(key, value),
            name + " '" + KeyText(value) + "' must be a number of seconds from 0 to " + WebhookDeliveryRules.MaxRetryDelaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return false;
    }

    /// <summary>W-22: <c>sleep-time: {min, max}</c>, a uniform delay per request.</summary>
    private bool ReadSleepRange(YamlScalarNode key, YamlMappingNode range, out double min, out double? max)
    {
        min = 0;
        max = null;
        var keys = Keys(range, "a sleep-time range", SleepRangeKeys);
        if (!keys.TryGetValue("min", out var minEntry) || !keys.TryGetValue("max", out var maxEntry))
        {
            Report(DiagnosticKind.InvalidSleepTime, At(key), "a range without " + (keys.ContainsKey("min") ? "'max'" : "'min'"));
            return false;
        }
        if (!TryNumber(minEntry.Value, out min) || min is < 0 or > MockDefaults.MaxSleepSeconds)
        {
            Report(DiagnosticKind.InvalidSleepTime, ValueAt(minEntry.Key, minEntry.Value), "min: " + KeyText(minEntry.Value));
            return false;
        }
        if (!TryNumber(maxEntry.Value, out var upper) || upper < min || upper > MockDefaults.MaxSleepSeconds)
        {
            Report(DiagnosticKind.InvalidSleepTime, ValueAt(maxEntry.Key, maxEntry.Value), "max: " + KeyText(maxEntry.Value) + (upper < min ? " (less than min)" : string.Empty));
            return false;
        }
        max = upper;
        return true;
    }
}
