using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using Moclojer.Generators.Parsing;
using Moclojer.Generators.Resolution;

namespace Moclojer.Generators;

/// <summary>
/// What the generator and the analyzer share: which files are mocks, the steps each mock file goes through
/// (<see cref="Parse"/>, then <see cref="ExternalFiles.Resolve"/> with the data files), and how diagnostics are
/// reported. Both call these, so the IDE shows what the command line shows.
/// </summary>
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

    /// <summary>S-11: <c>&lt;MoclojerJsonBodies&gt;verbatim&lt;/MoclojerJsonBodies&gt;</c> keeps JSON bodies' whitespace as written (default: compact).</summary>
    public static bool VerbatimJsonBodies(AnalyzerConfigOptionsProvider options) =>
        options.GlobalOptions.TryGetValue("build_property.MoclojerJsonBodies", out var value)
        && string.Equals(value.Trim(), "verbatim", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Step 1 for one mock file: read it into its model and diagnostics. <paramref name="openApi"/> is the project's
    /// OpenAPI documents and the file's MoclojerOpenApi metadata (O-1): a mapping root is a mocks document then.
    /// </summary>
    public static MockFileResult Parse(AdditionalText file, string projectDir, OpenApiContext openApi, CancellationToken cancellationToken, bool verbatimJson = false)
    {
        var text = file.GetText(cancellationToken)?.ToString() ?? string.Empty;
        return MockFileParser.Parse(file.Path, RelativePath(file.Path, projectDir), text, cancellationToken, projectDir, openApi, verbatimJson);
    }

    /// <summary>O-1: the MoclojerOpenApi metadata of a mock file (which OpenAPI document a mocks document belongs to), or null.</summary>
    public static string? OpenApiPairing(AdditionalText file, AnalyzerConfigOptionsProvider options) =>
        options.GetOptions(file).TryGetValue("build_metadata.AdditionalFiles.MoclojerOpenApi", out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>
    /// O-1: whether an AdditionalFile may be an OpenAPI document (YAML or JSON, not opted out with Moclojer="false");
    /// <see cref="OpenApiDocumentReader.TryRead"/> then decides by its root.
    /// </summary>
    public static bool MayBeOpenApiDocument(AdditionalText file, AnalyzerConfigOptionsProvider options) =>
        (IsMockFile(file) || file.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        && !(options.GetOptions(file).TryGetValue("build_metadata.AdditionalFiles.Moclojer", out var flag) && string.Equals(flag.Trim(), "false", StringComparison.OrdinalIgnoreCase))
        // MSBuild writes every CompilerVisibleItemMetadata for every file, empty when it is not set.
        && !(options.GetOptions(file).TryGetValue("build_metadata.AdditionalFiles.MoclojerWorkbook", out var workbook) && !string.IsNullOrWhiteSpace(workbook));

    public static OpenApiDocumentSpec? ReadOpenApiDocument(AdditionalText file, CancellationToken cancellationToken) =>
        OpenApiDocumentReader.TryRead(file.Path, file.GetText(cancellationToken)?.ToString() ?? string.Empty, cancellationToken);

    /// <summary>The documents in a stable order (by path), so the context does not change when the files are listed in another order.</summary>
    public static EquatableArray<OpenApiDocumentSpec> OpenApiDocuments(IEnumerable<OpenApiDocumentSpec?> documents) =>
        documents.Where(d => d is not null).Select(d => d!).OrderBy(d => d.FullPath, StringComparer.Ordinal).ToEquatableArray();

    /// <summary>
    /// An AdditionalFile that is not a mock file, as a data file that build-time external bodies may read. A
    /// workbook the package's targets converted to JSON carries the workbook's path in MoclojerWorkbook and
    /// stands for the workbook.
    /// </summary>
    public static DataFile ReadDataFile(AdditionalText file, AnalyzerConfigOptionsProvider options, CancellationToken cancellationToken)
    {
        var text = file.GetText(cancellationToken)?.ToString() ?? string.Empty;
        return options.GetOptions(file).TryGetValue("build_metadata.AdditionalFiles.MoclojerWorkbook", out var workbook) && !string.IsNullOrWhiteSpace(workbook)
            ? new DataFile(FilePaths.Normalize(workbook.Trim()), text, Workbook: true)
            : new DataFile(FilePaths.Normalize(file.Path), text);
    }

    public static string ProjectDir(AnalyzerConfigOptionsProvider options) =>
        options.GlobalOptions.TryGetValue("build_property.ProjectDir", out var dir) ? dir : string.Empty;

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
