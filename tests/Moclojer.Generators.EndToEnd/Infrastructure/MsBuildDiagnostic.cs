using System.Globalization;
using System.Text.RegularExpressions;

namespace Moclojer.Generators.EndToEnd.Infrastructure;

/// <summary>
/// One error or warning line of MSBuild's console output, e.g.
/// <c>/p/mocks.yml(4,15): error MOCK001: message [/p/Case.csproj]</c>. MSBuild appends the project in brackets,
/// which is how a single build of many projects is attributed back to each project.
/// </summary>
public sealed partial record MsBuildDiagnostic(
    string Origin,
    int? Line,
    int? Column,
    string Severity,
    string Code,
    string Message,
    string? Project)
{
    public bool IsError => Severity == "error";

    public override string ToString() =>
        $"{Origin}{(Line is null ? "" : $"({Line},{Column})")}: {Severity} {Code}: {Message}";

    public static MsBuildDiagnostic? TryParse(string line)
    {
        var m = Pattern().Match(line);
        if (!m.Success)
        {
            return null;
        }

        int? Num(string group) =>
            m.Groups[group].Success ? int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : null;

        var project = m.Groups["proj"].Success ? m.Groups["proj"].Value : null;
        if (project != null)
        {
            // Multi-targeting adds "::TargetFramework=..." to the project path.
            var cut = project.IndexOf("::", StringComparison.Ordinal);
            project = Path.GetFullPath(cut >= 0 ? project[..cut] : project);
        }

        return new MsBuildDiagnostic(
            m.Groups["origin"].Value.Trim(),
            Num("line"),
            Num("col"),
            m.Groups["sev"].Value,
            m.Groups["code"].Value,
            m.Groups["msg"].Value.Trim(),
            project);
    }

    /// <summary>All diagnostics in a build log, de-duplicated (MSBuild repeats them in its summary).</summary>
    public static IReadOnlyList<MsBuildDiagnostic> ParseAll(string output) =>
        output.Split('\n')
            .Select(l => TryParse(l.TrimEnd('\r')))
            .OfType<MsBuildDiagnostic>()
            .Distinct()
            .ToList();

    // origin(line,col[,endLine,endCol]): error|warning CODE: message [project]
    [GeneratedRegex(
        @"^\s*(?<origin>[^\s].*?)(?:\((?<line>\d+)(?:,(?<col>\d+))?(?:,\d+,\d+)?\))?\s*:\s+(?<sev>error|warning)\s+(?<code>[A-Za-z]*[0-9]*)\s*:\s*(?<msg>.*?)(?:\s+\[(?<proj>[^\[\]]+)\])?\s*$")]
    private static partial Regex Pattern();
}
