using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using Moclojer.Generators.Parsing;

namespace Moclojer.Generators.Resolution;

/// <summary>
/// The text of an AdditionalFile that is not a mock file, by normalized full path. A <paramref name="Workbook"/> is
/// the JSON the package's build targets wrote for an .xlsx file (X-4, see <see cref="Workbooks"/>): its
/// <paramref name="FullPath"/> is then the workbook's own path, so it is found as the workbook.
/// </summary>
internal sealed record DataFile(string FullPath, string Text, bool Workbook = false);

/// <summary>
/// Where the files of external bodies (X) are. A build-time file (a local path without templates, X-3) is looked
/// up among the data files and its content put into the endpoint's model, compiled like any body, or reported as
/// missing at its <c>path:</c> line (MOCK033). The generator never reads files itself: the files come in as
/// AdditionalFiles (the package's targets add the JSON files next to the mock files). A run-time file is looked
/// up per request relative to the mock file's folder as it sits in the project (the package's targets copy the
/// folder's JSON files to the build and publish output at that place), never relative to the build machine.
/// </summary>
internal static class ExternalFiles
{
    public static MockFileResult Resolve(MockFileResult result, IReadOnlyList<DataFile> files)
    {
        var spec = result.Spec;
        if (result.ExternalFiles.IsEmpty && !spec.Endpoints.Any(e => e.Response.External is not null))
        {
            return result;
        }
        var diagnostics = result.Diagnostics.ToList();
        var contents = new Dictionary<int, ExternalBodySpec>();
        var missing = false;
        foreach (var reference in result.ExternalFiles)
        {
            var file = Find(files, reference);
            if (file is null)
            {
                missing = true;
                diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.Id(DiagnosticKind.MissingExternalFile), reference.Location,
                    new[] { reference.WrittenPath, string.Join("' and '", reference.Candidates) }.ToEquatableArray()));
                continue;
            }
            var endpoint = spec.Endpoints.FirstOrDefault(e => e.Index == reference.EndpointIndex);
            if (reference.Xlsx)
            {
                var sheet = Workbooks.Sheet(file.Text, reference.SheetName);
                if (sheet.Error is not null)
                {
                    missing = true;
                    diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.Id(sheet.MissingSheet ? DiagnosticKind.MissingSheet : DiagnosticKind.InvalidWorkbook), reference.Location,
                        new[] { reference.WrittenPath, sheet.Error }.ToEquatableArray()));
                    continue;
                }
                // Data, not a template: the rows go out as they are.
                var external = endpoint?.Response.External ?? new ExternalBodySpec(new TemplateSpec(EquatableArray<TemplatePart>.Empty), string.Empty, null, null);
                contents[reference.EndpointIndex] = external with { Content = new TemplateSpec(new[] { new TemplatePart(sheet.Json!, null, false) }.ToEquatableArray()) };
                continue;
            }
            contents[reference.EndpointIndex] = Compile(endpoint, reference, file, diagnostics);
        }
        if (missing || spec.HasErrors)
        {
            spec = spec with { Endpoints = EquatableArray<EndpointSpec>.Empty, WebSockets = EquatableArray<WebSocketSpec>.Empty, HasErrors = true };
        }
        else
        {
            // The mock file's folder relative to the project folder ("" when the file is outside it): the same for
            // the same project wherever it sits, so the generated code is too.
            var mockDirectory = FilePaths.Directory(spec.RelativePath);
            spec = spec with
            {
                Endpoints = spec.Endpoints.Select(e => e.Response.External is not { } external
                    ? e
                    : e with { Response = e.Response with { External = (contents.TryGetValue(e.Index, out var compiled) ? compiled : external) with { MockDirectory = mockDirectory } } })
                    .ToEquatableArray(),
            };
        }
        return result with { Spec = spec, Diagnostics = diagnostics.ToEquatableArray() };
    }

    /// <summary>
    /// the first of the places the path may name (next to the mock file, then in the project folder) that is
    /// among the data files; an xlsx path is looked up among the converted workbooks only (the .xlsx itself, if it
    /// is an AdditionalFile, is binary and unreadable as text).
    /// </summary>
    private static DataFile? Find(IReadOnlyList<DataFile> files, ExternalFileRef reference)
    {
        foreach (var candidate in reference.Candidates)
        {
            var file = files.FirstOrDefault(f => f.Workbook == reference.Xlsx && string.Equals(f.FullPath, candidate, StringComparison.Ordinal))
                ?? files.FirstOrDefault(f => f.Workbook == reference.Xlsx && string.Equals(f.FullPath, candidate, StringComparison.OrdinalIgnoreCase));
            if (file is not null)
            {
                return file;
            }
        }
        return null;
    }

    /// <summary>
    /// The content is a body template (T-6). A mistake in it is not a build error but a run-time failure:
    /// the endpoint then answers 500 with the reason, which names the file as written in the mock file. With a JSON
    /// Content-Type the content is a JSON body (S-11), or warning V-21 located in the file where it breaks.
    /// </summary>
    private static ExternalBodySpec Compile(EndpointSpec? endpoint, ExternalFileRef reference, DataFile file, List<DiagnosticInfo> diagnostics)
    {
        var external = endpoint?.Response.External ?? new ExternalBodySpec(new TemplateSpec(EquatableArray<TemplatePart>.Empty), string.Empty, null, null);
        var errors = new List<TemplateError>();
        var content = TemplateParser.Parse(file.Text, TemplateKind.Body, errors);
        string? error = null;
        if (errors.Count > 0)
        {
            error = "the external body " + reference.WrittenPath + " has an invalid template: " + DiagnosticCatalog.Code(errors[0].Kind)
                + " ('" + string.Join("', '", errors[0].Args) + "')";
        }
        else if (endpoint is not null)
        {
            var declared = endpoint.Segments.Where(s => s.IsParameter).Select(s => s.Text).ToList();
            var undeclared = content.Parts.FirstOrDefault(p => p.Variable is { Source: VariableSource.PathParams } v && !declared.Contains(v.Name));
            if (undeclared is not null)
            {
                error = "the external body " + reference.WrittenPath + " uses path-params." + undeclared.Variable!.Name + ", which the path " + endpoint.Path + " does not declare";
            }
        }
        if (error is null && external.JsonBody)
        {
            if (JsonTemplate.Check(file.Text) is { } invalid)
            {
                diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.Id(DiagnosticKind.InvalidJsonBody), new LineMap(file.FullPath, file.Text).AtOffset(invalid.Offset, 1),
                    new[] { invalid.Expected, invalid.Found }.ToEquatableArray()));
            }
            else
            {
                content = JsonBodies.Apply(content, external.Compact);
            }
        }
        return external with { Content = error is null ? content : null, ContentError = error };
    }
}
