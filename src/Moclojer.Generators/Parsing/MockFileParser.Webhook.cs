using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>An endpoint's <c>webhook</c> (W-1 to W-15).</summary>
internal sealed partial class MockFileParser
{
    private static readonly string[] WebhookMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private static readonly string[] WebhookKeys = ["url", "method", "sleep-time", "if", "body", "headers", "timeout", "signature", "retry"];

    /// <summary>W-2: a mapping, or a list of mappings, each an independent webhook.</summary>
    private List<WebhookSpec> ReadWebhooks(YamlScalarNode key, YamlNode node, ItemScope scope)
    {
        var webhooks = new List<WebhookSpec>();
        switch (node)
        {
            case YamlMappingNode mapping:
                AddIfRead(webhooks, ReadWebhook(key, mapping, 0, scope));
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    if (sequence.Children[i] is YamlMappingNode entry)
                    {
                        AddIfRead(webhooks, ReadWebhook(entry, entry, i, scope));
                    }
                    else
                    {
                        Report(DiagnosticKind.InvalidWebhook, At(sequence.Children[i]), "a list whose entry " + (i + 1) + " is " + Describe(sequence.Children[i]));
                    }
                }
                break;
            default:
                Report(DiagnosticKind.InvalidWebhook, At(key), Describe(node));
                break;
        }
        return webhooks;

        static void AddIfRead(List<WebhookSpec> list, WebhookSpec? webhook)
        {
            if (webhook is not null)
            {
                list.Add(webhook);
            }
        }
    }

    /// <param name="owner">Where a missing key is reported: the <c>webhook:</c> key, or the list entry itself.</param>
    private WebhookSpec? ReadWebhook(YamlNode owner, YamlMappingNode mapping, int index, ItemScope scope)
    {
        var keys = Keys(mapping, "a webhook", WebhookKeys);
        var ownerLocation = owner is YamlScalarNode ? At(owner) : _map.FromMarks(owner.Start, owner.Start);
        var valid = true;

        TemplateSpec? url = null;
        var urlKind = WebhookUrlKind.Absolute;
        if (!keys.TryGetValue("url", out var urlEntry))
        {
            Report(DiagnosticKind.WebhookMissingUrl, ownerLocation);
            valid = false;
        }
        else if (TryText(urlEntry.Key, urlEntry.Value, "a url", out var urlScalar))
        {
            (url, urlKind) = ReadWebhookUrl(urlScalar, scope);
            valid &= url is not null;
        }

        var method = string.Empty;
        if (!keys.TryGetValue("method", out var methodEntry))
        {
            Report(DiagnosticKind.WebhookMissingMethod, ownerLocation);
            valid = false;
        }
        else if (TryText(methodEntry.Key, methodEntry.Value, "an HTTP method", out var methodScalar))
        {
            method = (methodScalar.Value ?? string.Empty).Trim().ToUpperInvariant();
            if (Array.IndexOf(WebhookMethods, method) < 0)
            {
                Report(DiagnosticKind.InvalidMethod, ValueAt(methodEntry.Key, methodScalar), methodScalar.Value ?? string.Empty, string.Join(", ", WebhookMethods));
                valid = false;
            }
        }

        var sleep = MockDefaults.WebhookSleepSeconds;
        double? sleepMax = null;
        if (keys.TryGetValue("sleep-time", out var sleepEntry) && sleepEntry.Value is YamlMappingNode range)
        {
            valid &= ReadSleepRange(sleepEntry.Key, range, out sleep, out sleepMax); // W-22
        }
        else if (sleepEntry.Value is not null && (!TryNumber(sleepEntry.Value, out sleep) || sleep is < 0 or > MockDefaults.MaxSleepSeconds))
        {
            Report(DiagnosticKind.InvalidSleepTime, ValueAt(sleepEntry.Key, sleepEntry.Value), KeyText(sleepEntry.Value));
            valid = false;
        }

        var timeout = MockDefaults.WebhookTimeoutSeconds;
        if (keys.TryGetValue("timeout", out var timeoutEntry) && (!TryNumber(timeoutEntry.Value, out timeout) || timeout is <= 0 or > MockDefaults.MaxWebhookTimeoutSeconds))
        {
            Report(DiagnosticKind.InvalidTimeout, ValueAt(timeoutEntry.Key, timeoutEntry.Value), KeyText(timeoutEntry.Value));
            valid = false;
        }

        ConditionNode? condition = null;
        string? conditionText = null;
        if (keys.TryGetValue("if", out var ifEntry) && TryText(ifEntry.Key, ifEntry.Value, "a condition", out var ifScalar) && !IsNull(ifScalar))
        {
            valid &= ReadCondition(ifScalar, scope, out condition);
            conditionText = condition is null ? null : ifScalar.Value?.Trim();
        }

        var headers = keys.TryGetValue("headers", out var headersEntry) ? ReadHeaders(headersEntry.Key, headersEntry.Value, scope, "a webhook") : [];
        // W-7, W-8: the body is JSON by default (S-11), like a response's.
        var body = keys.TryGetValue("body", out var bodyEntry)
            ? ReadBody(bodyEntry.Key, bodyEntry.Value, scope, JsonBodies.HasJsonContentType(headers) ? BodyJson.ContentType : BodyJson.Text)
            : null;

        // W-20, W-21: a webhook's own signature and retry, else the file's webhook-defaults (F-1).
        var signature = _webhookDefaults?.Signature;
        if (keys.TryGetValue("signature", out var signatureEntry))
        {
            valid &= ReadSignature(signatureEntry.Key, signatureEntry.Value, out signature);
        }

        var retry = _webhookDefaults?.Retry;
        if (keys.TryGetValue("retry", out var retryEntry))
        {
            valid &= ReadRetry(retryEntry.Key, retryEntry.Value, out retry);
        }

        return valid && url is not null
            ? new WebhookSpec(index, method, urlKind, url, body, headers.ToEquatableArray(), sleep, timeout, condition, conditionText, sleepMax, signature, retry)
            : null;
    }

    /// <summary>W-3, W-14, W-15: an absolute http(s) url, a relative '/path', or exactly one template.</summary>
    private (TemplateSpec? Url, WebhookUrlKind Kind) ReadWebhookUrl(YamlScalarNode scalar, ItemScope scope)
    {
        var text = scalar.Value ?? string.Empty;
        var mapper = new ScalarMapper(_map, scalar);
        var trimmed = text.Trim();

        if (trimmed.StartsWith("{{", StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal)
            && trimmed.IndexOf("{{", 2, StringComparison.Ordinal) < 0)
        {
            var template = CompileTemplate(trimmed, TemplateKind.Raw, scalar, scope);
            var variable = template.Parts.FirstOrDefault(p => p.Variable is not null)?.Variable;
            if (variable is { Source: VariableSource.Now or VariableSource.Uuid })
            {
                Report(DiagnosticKind.WebhookInvalidUrl, mapper.Map(text.IndexOf('{'), trimmed.Length), DiagnosticText.Excerpt(text), "a callback url must come from the request; '" + variable + "' is not a url");
                return (null, WebhookUrlKind.Callback);
            }
            return (variable is null ? null : template, WebhookUrlKind.Callback);
        }

        if (trimmed.StartsWith("/", StringComparison.Ordinal) && !trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            var template = CompileTemplate(text, TemplateKind.Raw, scalar, scope);
            return (template, WebhookUrlKind.Relative);
        }

        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? string.Empty : text.Substring(0, schemeEnd);
        if (schemeEnd < 0 || !(scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase)))
        {
            var firstTemplate = text.IndexOf("{{", StringComparison.Ordinal);
            var reason = firstTemplate >= 0 && firstTemplate < Math.Max(schemeEnd, 1) + 3
                ? "a template may be the whole url (a callback url) or stand in the path and query of an absolute url, not before its scheme and host"
                : schemeEnd < 0
                    ? "use an absolute http(s) url such as http://localhost:9000/hooks, a relative url starting with '/', or a single template such as '{{json-params.callback_url}}'"
                    : "only http and https urls are supported, not '" + scheme + "'";
            Report(DiagnosticKind.WebhookInvalidUrl, mapper.Map(0, text.Length), DiagnosticText.Excerpt(text), reason);
            return (null, WebhookUrlKind.Absolute);
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = text.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = text.Length;
        }
        var authority = text.Substring(authorityStart, authorityEnd - authorityStart);
        var templateInAuthority = authority.IndexOf("{{", StringComparison.Ordinal);
        if (templateInAuthority >= 0 || text.Substring(0, authorityStart).IndexOf('{') >= 0)
        {
            Report(DiagnosticKind.WebhookInvalidUrl, mapper.Map(authorityStart + Math.Max(templateInAuthority, 0), Math.Max(authority.Length, 1)), DiagnosticText.Excerpt(text),
                "templates may stand only in the path and query; the scheme and host must be literal (for a url from the request, make the whole url one template)");
            return (null, WebhookUrlKind.Absolute);
        }
        if (authority.Length == 0 || authority.StartsWith(":", StringComparison.Ordinal) || authority.Any(char.IsWhiteSpace)
            || !Uri.TryCreate(scheme + "://" + authority + "/", UriKind.Absolute, out _))
        {
            Report(DiagnosticKind.WebhookInvalidUrl, mapper.Map(authorityStart, Math.Max(authority.Length, 1)), DiagnosticText.Excerpt(text), "the url has no valid host");
            return (null, WebhookUrlKind.Absolute);
        }
        return (CompileTemplate(text, TemplateKind.Raw, scalar, scope), WebhookUrlKind.Absolute);
    }
}
