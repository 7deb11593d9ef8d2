using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using Moclojer.Generators.Parsing;

namespace Moclojer.Generators.Validation;

/// <summary>The text of an AdditionalFile that is not a mock file, by normalized full path.</summary>
internal sealed record DataFile(string FullPath, string Text);

/// <summary>
/// X-3 at build time: puts the content of each build-time external file into the endpoint's model (compiled like
/// any body), or reports the file as missing at its <c>path:</c> line. The generator never reads files itself: the
/// files come in as AdditionalFiles (the package's targets add the JSON files next to the mock files).
/// </summary>
internal static class ExternalFiles
{
    public static MockFileResult Resolve(MockFileResult result, IReadOnlyList<DataFile> files)
    {
        if (result.ExternalFiles.IsEmpty)
        {
            return result;
        }
        var diagnostics = result.Diagnostics.ToList();
        var contents = new Dictionary<int, ExternalBodySpec>();
        var missing = false;
        foreach (var reference in result.ExternalFiles)
        {
            var file = files.FirstOrDefault(f => string.Equals(f.FullPath, reference.FullPath, StringComparison.Ordinal))
                ?? files.FirstOrDefault(f => string.Equals(f.FullPath, reference.FullPath, StringComparison.OrdinalIgnoreCase));
            if (file is null)
            {
                missing = true;
                diagnostics.Add(new DiagnosticInfo(DiagnosticCatalog.Id(DiagnosticKind.MissingExternalFile), reference.Location,
                    new[] { reference.WrittenPath, reference.FullPath }.ToEquatableArray()));
                continue;
            }
            contents[reference.EndpointIndex] = Compile(result.Spec.Endpoints.FirstOrDefault(e => e.Index == reference.EndpointIndex), file);
        }
        var spec = result.Spec;
        if (missing || spec.HasErrors)
        {
            spec = spec with { Endpoints = EquatableArray<EndpointSpec>.Empty, WebSockets = EquatableArray<WebSocketSpec>.Empty, HasErrors = true };
        }
        else
        {
            spec = spec with
            {
                Endpoints = spec.Endpoints.Select(e => contents.TryGetValue(e.Index, out var external)
                    ? e with { Response = e.Response with { External = external } }
                    : e).ToEquatableArray(),
            };
        }
        return result with { Spec = spec, Diagnostics = diagnostics.ToEquatableArray() };
    }

    /// <summary>
    /// The content is a body template (T-6). A mistake in it is not a build error but a run-time failure:
    /// the endpoint then answers 500 with the reason.
    /// </summary>
    private static ExternalBodySpec Compile(EndpointSpec? endpoint, DataFile file)
    {
        var external = endpoint?.Response.External ?? new ExternalBodySpec(new TemplateSpec(EquatableArray<TemplatePart>.Empty), string.Empty, null, null);
        var errors = new List<TemplateError>();
        var content = TemplateParser.Parse(file.Text, TemplateKind.Body, errors);
        string? error = null;
        if (errors.Count > 0)
        {
            error = "the external body " + file.FullPath + " has an invalid template: " + DiagnosticCatalog.Code(errors[0].Kind)
                + " ('" + string.Join("', '", errors[0].Args) + "')";
        }
        else if (endpoint is not null)
        {
            var declared = endpoint.Segments.Where(s => s.IsParameter).Select(s => s.Text).ToList();
            var undeclared = content.Parts.FirstOrDefault(p => p.Variable is { Source: VariableSource.PathParams } v && !declared.Contains(v.Name));
            if (undeclared is not null)
            {
                error = "the external body " + file.FullPath + " uses path-params." + undeclared.Variable!.Name + ", which the path " + endpoint.Path + " does not declare";
            }
        }
        return external with { Content = error is null ? content : null, ContentError = error };
    }
}
