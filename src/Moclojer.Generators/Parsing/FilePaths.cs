namespace Moclojer.Generators.Parsing;

/// <summary>Path arithmetic on text only (the generator never touches the file system).</summary>
internal static class FilePaths
{
    /// <summary>The directory of a file path, with '/' separators and no trailing separator.</summary>
    public static string Directory(string filePath)
    {
        var normalized = filePath.Replace('\\', '/');
        var slash = normalized.LastIndexOf('/');
        return slash < 0 ? string.Empty : slash == 0 ? "/" : normalized.Substring(0, slash);
    }

    public static bool IsRooted(string path) =>
        path.StartsWith("/", StringComparison.Ordinal) || path.StartsWith("\\", StringComparison.Ordinal)
        || (path.Length >= 2 && path[1] == ':' && char.IsLetter(path[0]));

    /// <summary>A path relative to <paramref name="directory"/> (or rooted), with '.' and '..' segments folded.</summary>
    public static string Resolve(string directory, string path)
    {
        var combined = IsRooted(path) ? path : directory.TrimEnd('/') + "/" + path;
        return Normalize(combined);
    }

    /// <summary>'/' separators, '.' and '..' folded, empty segments removed (a leading root is kept).</summary>
    public static string Normalize(string path)
    {
        var text = path.Replace('\\', '/');
        var rooted = text.StartsWith("/", StringComparison.Ordinal);
        var segments = new List<string>();
        foreach (var segment in text.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }
            if (segment == ".." && segments.Count > 0 && segments[segments.Count - 1] != "..")
            {
                segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        return (rooted ? "/" : string.Empty) + string.Join("/", segments);
    }
}
