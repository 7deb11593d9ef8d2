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
    /// <summary>S-11: JSON bodies are minified at build time unless the project sets <c>MoclojerJsonBodies=verbatim</c>.</summary>
    private readonly bool _compactJson;
    private readonly string _path;
    /// <summary>The project's folder ('/'-separated, no trailing '/'), or "" when unknown: the X-3 fallback for external bodies.</summary>
    private readonly string _projectDirectory;
    private readonly OpenApiContext _openApi;
    /// <summary>O-1: the OpenAPI document a mocks document was read against, as JSON.</summary>
    private string? _openApiJson;
    private bool _hasErrors;
    /// <summary>JSON values written so far for the whole file; capped, since aliases can expand exponentially.</summary>
    private int _jsonNodes;

    private MockFileParser(LineMap map, string path, string? projectDirectory, OpenApiContext openApi, bool verbatimJson, CancellationToken cancellationToken)
    {
        _openApi = openApi;
        _map = map;
        _directory = FilePaths.Directory(path);
        _compactJson = !verbatimJson;
        _path = path;
        _projectDirectory = string.IsNullOrEmpty(projectDirectory) ? string.Empty : FilePaths.Normalize(projectDirectory!);
        _cancellationToken = cancellationToken;
    }

    /// <param name="verbatimJson">S-11: <c>MoclojerJsonBodies=verbatim</c>, JSON bodies keep their whitespace as written.</param>
    public static MockFileResult Parse(string path, string relativePath, string text, CancellationToken cancellationToken = default, string? projectDirectory = null, OpenApiContext? openApi = null, bool verbatimJson = false)
    {
        var parser = new MockFileParser(new LineMap(path, text), path, projectDirectory, openApi ?? OpenApiContext.None, verbatimJson, cancellationToken);
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
            parser._hasErrors ? EquatableArray<WebSocketSpec>.Empty : parser._webSockets.ToEquatableArray(),
            parser._hasErrors ? null : parser._openApiJson);
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
        catch (ArgumentOutOfRangeException ex) when (ex.ParamName is "lowSurrogate" or "highSurrogate" && BrokenSurrogateEscape(text) is { } broken)
        {
            // YamlDotNet throws this, without a position, for "\uD800\u0041": a high-surrogate escape whose next
            // escape is no low surrogate. Lone ones ("\uD800") are a syntax error with a position already.
            Report(DiagnosticKind.YamlSyntax, broken.Location, "the escape '" + text.Substring(broken.Index, 6) + "' is half of a UTF-16 surrogate pair and the escape after it is not the other half; write the character itself, or a pair such as \\uD83D\\uDE00");
            return;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet throws these without a position for some truncated inputs.
            Report(DiagnosticKind.YamlSyntax, _map.EndOfFile(), "the file ends in the middle of a YAML structure (" + ex.Message + ")");
            return;
        }

        if (stream.Documents.Count > 0 && OpenApiDocumentReader.IsOpenApiRoot(stream.Documents[0].RootNode))
        {
            return; // an OpenAPI document (O-1): read by OpenApiDocumentReader, served through its mocks document
        }
        if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode mocksDocument && !_openApi.Documents.IsEmpty)
        {
            ReadMocksDocument(mocksDocument); // F-1, O-1: a mapping root is a mocks document when the project has an OpenAPI document
            return;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlSequenceNode root)
        {
            var rootNode = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
            var location = rootNode is null ? _map.OnLine(0, 0, _map.Line(0).Length) : _map.FromMarks(rootNode.Start, rootNode.Start);
            Report(DiagnosticKind.InvalidConfigRoot, location, rootNode is null ? "empty" : Describe(rootNode));
            return;
        }

        if (MayHoldSurrogates(text))
        {
            ReportLoneSurrogates(root);
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

    /// <summary>
    /// A YAML escape such as <c>"\uD800"</c> gives half of a UTF-16 pair, which is no Unicode character: it cannot be
    /// sent as UTF-8 nor written into the generated code's UTF-8 literals. Every text of the file, keys included, is
    /// checked once (each node once, however many aliases point at it) and each such text is an error at its place.
    /// </summary>
    private void ReportLoneSurrogates(YamlNode root)
    {
        var visited = new HashSet<YamlNode>(NodeIdentity.Instance);
        var pending = new Stack<(YamlNode Node, string Owner)>();
        pending.Push((root, "a value"));
        while (pending.Count > 0)
        {
            var (node, owner) = pending.Pop();
            if (!visited.Add(node))
            {
                continue;
            }
            switch (node)
            {
                case YamlMappingNode mapping:
                    foreach (var child in mapping.Children)
                    {
                        pending.Push((child.Key, "a key"));
                        pending.Push((child.Value, child.Key is YamlScalarNode { Value: { } key } && LoneSurrogateAt(key) < 0 ? key : owner));
                    }
                    break;
                case YamlSequenceNode sequence:
                    foreach (var child in sequence.Children)
                    {
                        pending.Push((child, owner));
                    }
                    break;
                case YamlScalarNode { Value: { } text }:
                    var at = LoneSurrogateAt(text);
                    if (at >= 0)
                    {
                        Report(DiagnosticKind.InvalidValueType, At(node), DiagnosticText.Excerpt(owner, 41), "Unicode text",
                            "text with the lone surrogate \\u" + ((int)text[at]).ToString("X4", CultureInfo.InvariantCulture)
                            + " (half of a UTF-16 pair; write the whole character, or both halves as one escape pair)");
                    }
                    break;
            }
        }
    }

    /// <summary>
    /// Whether a text of the file can hold a surrogate at all: only a surrogate written in the file or a <c>\u</c> /
    /// <c>\U</c> escape gives one, so a file with neither needs no walk over its nodes.
    /// </summary>
    private static bool MayHoldSurrogates(string text)
    {
        if (text.IndexOf("\\u", StringComparison.Ordinal) >= 0 || text.IndexOf("\\U", StringComparison.Ordinal) >= 0)
        {
            return true;
        }
        foreach (var c in text)
        {
            if (char.IsSurrogate(c))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The first <c>\uD800</c>-<c>\uDBFF</c> escape not followed by a <c>\uDC00</c>-<c>\uDFFF</c> escape, or null.</summary>
    private (int Index, LocationInfo Location)? BrokenSurrogateEscape(string text)
    {
        for (var i = text.IndexOf("\\u", StringComparison.Ordinal); i >= 0 && i + 6 <= text.Length; i = text.IndexOf("\\u", i + 1, StringComparison.Ordinal))
        {
            if (!TryHex(text, i + 2, out var high) || high is < 0xD800 or > 0xDBFF)
            {
                continue;
            }
            var next = i + 6;
            if (next + 6 <= text.Length && text[next] == '\\' && text[next + 1] == 'u' && TryHex(text, next + 2, out var low) && low is >= 0xDC00 and <= 0xDFFF)
            {
                i = next;
                continue;
            }
            var line = 0;
            var lineStart = 0;
            for (var k = text.IndexOf('\n'); k >= 0 && k < i; k = text.IndexOf('\n', k + 1))
            {
                line++;
                lineStart = k + 1;
            }
            return (i, _map.OnLine(line, i - lineStart, 6));
        }
        return null;

        static bool TryHex(string text, int start, out int value) =>
            int.TryParse(text.Length >= start + 4 ? text.Substring(start, 4) : string.Empty, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    private sealed class NodeIdentity : IEqualityComparer<YamlNode>
    {
        public static readonly NodeIdentity Instance = new();

        public bool Equals(YamlNode? x, YamlNode? y) => ReferenceEquals(x, y);

        public int GetHashCode(YamlNode obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }

    /// <summary>The index of the first UTF-16 code unit that is not part of a valid surrogate pair, or -1.</summary>
    internal static int LoneSurrogateAt(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return i;
            }
        }
        return -1;
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
            var distance = normalized == candidate ? 0 : EditDistance.Between(normalized, candidate);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= Math.Max(1, Math.Min(3, key.Length / 3)) ? best : null;
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
