using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;

namespace Moclojer.Generators;

/// <summary>What the generator and the analyzer share: which files are mocks, and how diagnostics are reported.</summary>
internal static class MockFiles
{
    /// <summary>
    /// In an IDE's design-time build the analyzer reports mock-file problems live, as the file is edited; the
    /// generator then stays quiet so nothing is listed twice. Command-line builds are reported by the generator.
    /// </summary>
    public static bool IsDesignTimeBuild(AnalyzerConfigOptionsProvider options) =>
        options.GlobalOptions.TryGetValue("build_property.DesignTimeBuild", out var value)
        && string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsMockFile(AdditionalText file) =>
        file.Path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || file.Path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase);

    public static bool IsMockFile(AdditionalText file, AnalyzerConfigOptionsProvider options)
    {
        if (!IsMockFile(file))
        {
            return false;
        }
        return !(options.GetOptions(file).TryGetValue("build_metadata.AdditionalFiles.Moclojer", out var flag)
            && string.Equals(flag.Trim(), "false", StringComparison.OrdinalIgnoreCase));
    }

    public static string RelativePath(string path, string projectDir)
    {
        var normalized = path.Replace('\\', '/');
        var dir = projectDir.Replace('\\', '/');
        if (dir.Length > 0 && !dir.EndsWith("/", StringComparison.Ordinal))
        {
            dir += "/";
        }
        return dir.Length > 0 && normalized.StartsWith(dir, StringComparison.Ordinal)
            ? normalized.Substring(dir.Length)
            : System.IO.Path.GetFileName(normalized);
    }

    public static void Report(Action<Diagnostic> report, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var info in diagnostics)
        {
            report(DiagnosticCatalog.Create(info));
        }
    }
}
