using System.Globalization;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>
/// Reads one mock file into the emission model and its diagnostics. It never throws (but for cancellation):
/// every problem, including an unexpected one, becomes a diagnostic located in the file, and all problems of
/// a file are reported, not only the first.
/// </summary>
/// <remarks>
/// One partial file per kind of item: endpoint (and its response), webhook, websocket, rate limit, external body,
/// condition, plus bodies and templates, which several kinds share. The parser's fields are only what it collects
/// for the whole file; what a template may refer to (the item's path parameters, whether <c>{{message}}</c> is a
/// variable, the endpoint's index) travels down the calls as an <see cref="ItemScope"/>.
/// </remarks>
internal sealed partial class MockFileParser
{
    private readonly LineMap _map;
    private readonly CancellationToken _cancellationToken;
    private readonly List<DiagnosticInfo> _diagnostics = [];
    private readonly List<EndpointSpec> _endpoints = [];
    private readonly List<RouteKey> _routes = [];
    private readonly List<ExternalFileRef> _externalFiles = [];
    private readonly List<WebSocketSpec> _webSockets = [];
    private readonly string _directory;
    private bool _hasErrors;
    /// <summary>JSON values written so far for the whole file; capped, since aliases can expand exponentially.</summary>
    private int _jsonNodes;

    private MockFileParser(LineMap map, string path, CancellationToken cancellationToken)
    {
        _map = map;
        _directory = FilePaths.Directory(path);
        _cancellationToken = cancellationToken;
    }

    public static MockFileResult Parse(string path, string relativePath, string text, CancellationToken cancellationToken = default)
    {
        var parser = new MockFileParser(new LineMap(path, text), path, cancellationToken);
        try
        {
            parser.ReadFile(text);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception ex)
        {
            parser.Report(DiagnosticKind.InternalError, parser._map.EndOfFile(), ex.GetType().Name + ": " + ex.Message);
        }
        var spec = new MockFileSpec(
            relativePath,
            ClassNameFor(relativePath),
            parser._hasErrors ? EquatableArray<EndpointSpec>.Empty : parser._endpoints.ToEquatableArray(),
            parser._hasErrors,
            parser._hasErrors ? EquatableArray<WebSocketSpec>.Empty : parser._webSockets.ToEquatableArray());
        return new MockFileResult(spec, parser._routes.ToEquatableArray(), parser._diagnostics.ToEquatableArray(), parser._externalFiles.ToEquatableArray());
    }

    private void ReadFile(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var reason = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
            var location = _map.OnLine((int)ex.Start.Line - 1, (int)ex.Start.Column - 1, 1);
            Report(DiagnosticKind.YamlSyntax, location, TrimReason(reason));
            return;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet throws these without a position for some truncated inputs.
            Report(DiagnosticKind.YamlSyntax, _map.EndOfFile(), "the file ends in the middle of a YAML structure (" + ex.Message + ")");
            return;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlSequenceNode root)
        {
            var rootNode = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
            var location = rootNode is null ? _map.OnLine(0, 0, _map.Line(0).Length) : _map.FromMarks(rootNode.Start, rootNode.Start);
            Report(DiagnosticKind.InvalidConfigRoot, location, rootNode is null ? "empty" : Describe(rootNode));
            return;
        }

        var index = 0;
        foreach (var item in root.Children)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (item is YamlMappingNode { Children.Count: 1 } defaults
                && defaults.Children[0].Key is YamlScalarNode { Value: "webhook-defaults" } defaultsKey)
            {
                ReadWebhookDefaults(defaultsKey, defaults.Children[0].Value, first: ReferenceEquals(item, root.Children[0])); // F-1
                continue;
            }
            if (item is not YamlMappingNode mapping || mapping.Children.Count != 1
                || mapping.Children[0].Key is not YamlScalarNode { Value: "endpoint" or "websocket" } key)
            {
                var what = item is YamlMappingNode map
                    ? (map.Children.Count == 0 ? "an empty mapping" : "a mapping with the keys " + string.Join(", ", map.Children.Select(c => "'" + KeyText(c.Key) + "'")))
                    : Describe(item);
                Report(DiagnosticKind.InvalidItem, _map.FromMarks(item.Start, item.Start), what);
                continue;
            }
            var value = mapping.Children[0].Value;
            if (key.Value == "endpoint")
            {
                ReadEndpoint(key, value, index++);
            }
            else
            {
                ReadWebSocket(key, value);
            }
        }
    }

    // ---- reporting -------------------------------------------------------------------------------------

    private void Report(DiagnosticKind kind, LocationInfo location, params string[] args)
    {
        if (DiagnosticCatalog.Descriptor(kind).DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
        {
            _hasErrors = true;
        }
        _diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.Id(kind), location, args.ToEquatableArray()));
    }

    private LocationInfo At(YamlNode node) => _map.FromMarks(node.Start, node.End);

    /// <summary>A bad value is reported on its key's line: at the value when it stands there, else at the key.</summary>
    private LocationInfo ValueAt(YamlNode key, YamlNode value) =>
        value.Start.Line == key.Start.Line && value is YamlScalarNode ? At(value) : At(key);

    private static string TrimReason(string message)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the location says that already.
        var marker = message.LastIndexOf("): ", StringComparison.Ordinal);
        var reason = marker >= 0 ? message.Substring(marker + 3) : message;
        return reason.TrimEnd('.');
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Value: null or "" } => "empty",
        YamlScalarNode scalar => "the text '" + DiagnosticText.Excerpt(scalar.Value!, 41) + "'",
        _ => "an alias",
    };

    private static string KeyText(YamlNode key) => key is YamlScalarNode scalar ? scalar.Value ?? string.Empty : Describe(key);

    // ---- mapping helpers -------------------------------------------------------------------------------

    /// <summary>
    /// The children of a mapping by key. Unknown keys are warnings with a "did you mean" (F-5); keys that are not
    /// text are errors.
    /// </summary>
    private Dictionary<string, (YamlScalarNode Key, YamlNode Value)> Keys(YamlMappingNode mapping, string owner, string[] known)
    {
        var result = new Dictionary<string, (YamlScalarNode, YamlNode)>(StringComparer.Ordinal);
        foreach (var child in mapping.Children)
        {
            if (child.Key is not YamlScalarNode { Value: not null } key)
            {
                Report(DiagnosticKind.InvalidValueType, At(child.Key), "a key of " + owner, "text", Describe(child.Key));
                continue;
            }
            if (Array.IndexOf(known, key.Value) < 0)
            {
                var suggestion = Suggest(key.Value, known);
                Report(DiagnosticKind.UnknownKey, At(key), key.Value, owner, suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?");
                continue;
            }
            result[key.Value] = (key, child.Value);
        }
        return result;
    }

    /// <summary>Reads a scalar value as text; a mapping or list where text belongs is an error.</summary>
    private bool TryText(YamlScalarNode key, YamlNode value, string expected, out YamlScalarNode scalar)
    {
        if (value is YamlScalarNode s)
        {
            scalar = s;
            return true;
        }
        scalar = null!;
        Report(DiagnosticKind.InvalidValueType, At(key), key.Value!, expected, Describe(value));
        return false;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    /// <summary>A number of seconds (integer or decimal) from a plain or quoted scalar.</summary>
    private static bool TryNumber(YamlNode node, out double value)
    {
        value = 0;
        return node is YamlScalarNode { Value: { } text }
            && double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
            && !double.IsNaN(value) && !double.IsInfinity(value);
    }

    private static string? Suggest(string key, string[] known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var normalized = key.Replace('_', '-').ToLowerInvariant();
        foreach (var candidate in known)
        {
            var distance = normalized == candidate ? 0 : Distance(normalized, candidate);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= Math.Max(1, Math.Min(3, key.Length / 3)) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>A stable, identifier-safe class name for a file's handlers, unique per relative path.</summary>
    internal static string ClassNameFor(string relativePath)
    {
        var name = Path.GetFileNameWithoutExtension(relativePath);
        var builder = new System.Text.StringBuilder("Mocks_");
        foreach (var c in name)
        {
            builder.Append(char.IsLetterOrDigit(c) && c < 128 ? c : '_');
        }
        uint hash = 2166136261;
        foreach (var c in relativePath.Replace('\\', '/'))
        {
            hash = unchecked((hash ^ c) * 16777619);
        }
        return builder.Append('_').Append(hash.ToString("x8", CultureInfo.InvariantCulture)).ToString();
    }
}
