using System.Text.RegularExpressions;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Parsing;

/// <summary>Reads endpoint paths (E-2, P-1, P-2, P-8) and parameter type names (P-2, Q-1).</summary>
internal static class PathParser
{
    private static readonly Regex ParameterName = new("^[A-Za-z_][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant);

    public static bool TryParseType(string name, out MockParamType type)
    {
        switch (name)
        {
            case "string": type = MockParamType.String; return true;
            case "int": type = MockParamType.Int; return true;
            case "bool":
            case "boolean": type = MockParamType.Bool; return true;
            case "float": type = MockParamType.Float; return true;
            case "double": type = MockParamType.Double; return true;
            case "uuid": type = MockParamType.Uuid; return true;
            case "date": type = MockParamType.Date; return true;
            default: type = MockParamType.String; return false;
        }
    }

    /// <summary>Parses <paramref name="path"/>; problems are reported as (kind, offset, length, args).</summary>
    public static List<PathSegment> Parse(string path, List<TemplateError> errors)
    {
        var segments = new List<PathSegment>();
        if (!path.StartsWith("/", StringComparison.Ordinal))
        {
            errors.Add(new TemplateError(DiagnosticKind.InvalidPath, 0, path.Length, [path, "a path must start with '/'"]));
            return segments;
        }
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c is '*' or '{' or '}' or '?' || char.IsWhiteSpace(c))
            {
                var what = char.IsWhiteSpace(c) ? "whitespace" : $"'{c}'";
                errors.Add(new TemplateError(DiagnosticKind.InvalidPath, i, 1, [path, $"{what} is not allowed in a path (parameters are written ':name' or ':name|type'; there is no catch-all and no query part)"]));
                return segments;
            }
        }
        if (path.Length == 1)
        {
            return segments;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var offset = 1;
        foreach (var raw in path.Substring(1).Split('/'))
        {
            if (raw.StartsWith(":", StringComparison.Ordinal))
            {
                var bar = raw.IndexOf('|');
                var name = bar < 0 ? raw.Substring(1) : raw.Substring(1, bar - 1);
                var typeName = bar < 0 ? "string" : raw.Substring(bar + 1);
                if (!ParameterName.IsMatch(name))
                {
                    errors.Add(new TemplateError(DiagnosticKind.InvalidPath, offset, raw.Length, [path, $"':{name}' is not a parameter name (letters, digits, '_' and '-', not starting with a digit or '-')"]));
                }
                else if (!names.Add(name))
                {
                    errors.Add(new TemplateError(DiagnosticKind.DuplicatePathParam, offset, raw.Length, [name, path]));
                }
                if (!TryParseType(typeName, out var type))
                {
                    errors.Add(new TemplateError(DiagnosticKind.UnknownParamType, offset + bar + 1, typeName.Length, [typeName]));
                }
                segments.Add(new PathSegment(name, true, type, typeName));
            }
            else
            {
                segments.Add(new PathSegment(Decode(raw), false, MockParamType.String, string.Empty));
            }
            offset += raw.Length + 1;
        }
        return segments;
    }

    /// <summary>Literal segments are compared with percent-decoded request segments, so decode them the same way.</summary>
    private static string Decode(string segment)
    {
        if (segment.IndexOf('%') < 0)
        {
            return segment;
        }
        try
        {
            return Uri.UnescapeDataString(segment);
        }
        catch (UriFormatException)
        {
            return segment;
        }
    }

    /// <summary>The route shape of E-4: literal segments as written, every parameter the same.</summary>
    public static string Shape(IReadOnlyList<PathSegment> segments) =>
        "/" + string.Join("/", segments.Select(s => s.IsParameter ? "\0" : s.Text));
}
