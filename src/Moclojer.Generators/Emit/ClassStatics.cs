using Moclojer.Generators.Conditions;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>A static field a handler reads. Handlers list theirs as data, in the order they read them.</summary>
internal abstract record StaticField;

/// <summary>Bytes encoded at build time: a static body, webhook body or websocket message.</summary>
internal sealed record BytesField(string Name, string Text) : StaticField;

/// <summary>A json-params access path; its name is given by the class, which declares each distinct path once.</summary>
internal sealed record JsonPathField(EquatableArray<string> Path) : StaticField;

/// <summary>RL: an endpoint's rate limit.</summary>
internal sealed record RateLimitField(string Name, string Route, RateLimitSpec Limit) : StaticField;

/// <summary>W-20: a webhook's signature settings.</summary>
internal sealed record SignatureField(string Name, SignatureSpec Signature) : StaticField;

/// <summary>W-21: a webhook's retry settings.</summary>
internal sealed record RetryField(string Name, RetrySpec Retry) : StaticField;

/// <summary>WS-3: an on-message pattern, compiled once when the class is initialised.</summary>
internal sealed record PatternField(string Name, string Pattern) : StaticField;

/// <summary>
/// The static fields of one generated class. Each handler's fields are written just before it; a json-params path
/// that several handlers read is declared once, before the first of them, and shared.
/// </summary>
internal sealed class ClassStatics
{
    private const string Runtime = "global::Moclojer.Runtime.";
    private const string Regex = "global::System.Text.RegularExpressions.";
    private const string Webhooks = "global::Moclojer.Runtime.Webhooks.";
    private readonly Dictionary<EquatableArray<string>, string> _jsonPaths = [];

    /// <summary>Writes the fields not declared yet, in order.</summary>
    public void Write(CodeWriter writer, IEnumerable<StaticField> fields)
    {
        foreach (var field in fields)
        {
            switch (field)
            {
                case BytesField bytes:
                    writer.WriteLine($"private static readonly byte[] {bytes.Name} = {Literals.Utf8(bytes.Text)}.ToArray();");
                    break;
                case JsonPathField json when !_jsonPaths.ContainsKey(json.Path):
                    var name = "s_json" + Literals.Number(_jsonPaths.Count);
                    _jsonPaths.Add(json.Path, name);
                    writer.WriteLine($"private static readonly string[] {name} = {{ {string.Join(", ", json.Path.Select(Literals.String))} }};");
                    break;
                case RateLimitField rate:
                    writer.WriteLine($"private static readonly {Runtime}MockRateLimit {rate.Name} = new({Literals.String(rate.Route)}, "
                        + $"{Literals.Number(rate.Limit.WindowMilliseconds)}, {Literals.Number(rate.Limit.MaxRequests)}, {Literals.StringOrNull(rate.Limit.KeyHeader)});");
                    break;
                case SignatureField signature:
                    var sig = signature.Signature;
                    writer.WriteLine($"private static readonly {Webhooks}WebhookSignature {signature.Name} = new({Webhooks}WebhookSignatureScheme.{sig.Scheme}, "
                        + $"{Literals.StringOrNull(sig.Secret)}, {Literals.StringOrNull(sig.SecretFrom)}, {Literals.StringOrNull(sig.Header)}, "
                        + $"{Webhooks}WebhookHmacAlgorithm.{sig.Algorithm}, {Webhooks}WebhookSignatureEncoding.{sig.Encoding}, "
                        + $"{Literals.StringOrNull(sig.Prefix)}, {Literals.StringOrNull(sig.Signed)}, {Literals.StringOrNull(sig.TimestampHeader)});");
                    break;
                case RetryField retry:
                    writer.WriteLine($"private static readonly {Webhooks}WebhookRetry {retry.Name} = new({Literals.Number(retry.Retry.Attempts)}, "
                        + $"{Webhooks}WebhookRetryBackoff.{retry.Retry.Backoff}, global::System.TimeSpan.FromSeconds({Literals.Number(retry.Retry.DelaySeconds)}), "
                        + $"global::System.TimeSpan.FromSeconds({Literals.Number(retry.Retry.MaxDelaySeconds)}));");
                    break;
                case PatternField pattern:
                    writer.WriteLine($"private static readonly {Regex}Regex {pattern.Name} = new({Literals.String(pattern.Pattern)}, "
                        + $"{Regex}RegexOptions.CultureInvariant, global::System.TimeSpan.FromSeconds(1));");
                    break;
            }
        }
    }

    /// <summary>The field that holds <paramref name="path"/>, declared by an earlier <see cref="Write"/>.</summary>
    public string JsonPath(EquatableArray<string> path) => _jsonPaths.TryGetValue(path, out var name)
        ? name
        : throw new InvalidOperationException("The json-params path '" + string.Join(".", path) + "' is read by a handler that did not list it.");

    /// <summary>The json-params paths the variables of <paramref name="template"/> read (the whole body needs none).</summary>
    public static IEnumerable<StaticField> JsonPaths(TemplateSpec? template) =>
        template is null ? [] : JsonPaths(template.Parts.Where(p => p.Variable is not null).Select(p => p.Variable!));

    /// <summary>The json-params paths a condition reads once folded: the emitter is asked, so the list is exact.</summary>
    public static IEnumerable<StaticField> JsonPaths(ConditionNode? condition)
    {
        var variables = new List<VariableRef>();
        ConditionEmitter.Emit(condition, variable =>
        {
            variables.Add(variable);
            return "_";
        });
        return JsonPaths(variables);
    }

    public static IEnumerable<StaticField> JsonPaths(IEnumerable<VariableRef> variables) =>
        variables.Where(v => v.Source == VariableSource.JsonParams && !v.Path.IsEmpty).Select(v => new JsonPathField(v.Path));
}
