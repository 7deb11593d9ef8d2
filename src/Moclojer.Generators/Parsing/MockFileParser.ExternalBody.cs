using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>A response's <c>external-body</c> (X-1 to X-5).</summary>
internal sealed partial class MockFileParser
{
    private static readonly string[] ExternalBodyKeys = ["provider", "path", "sheet-name"];

    /// <summary>A local path without templates is recorded, under the endpoint's index, so the file is read at build time.</summary>
    private ExternalBodySpec? ReadExternalBody(YamlScalarNode key, YamlNode node, ItemScope scope)
    {
        if (node is not YamlMappingNode mapping)
        {
            Report(DiagnosticKind.InvalidValueType, At(key), "external-body", "a mapping (provider, path)", Describe(node));
            return null;
        }
        var keys = Keys(mapping, "an external-body", ExternalBodyKeys);
        var xlsx = false;
        if (!keys.TryGetValue("provider", out var provider))
        {
            Report(DiagnosticKind.MissingKey, At(key), "external-body", "provider", "add 'provider: json'");
        }
        else if (TryText(provider.Key, provider.Value, "a provider name", out var providerScalar) && providerScalar.Value is not ("json" or "xlsx"))
        {
            Report(DiagnosticKind.UnknownProvider, ValueAt(provider.Key, providerScalar), providerScalar.Value ?? string.Empty);
        }
        else
        {
            xlsx = providerScalar is { Value: "xlsx" };
        }
        // sheet-name is only for xlsx (default: the first sheet); with json it is an unknown key in effect.
        string? sheetName = null;
        if (keys.TryGetValue("sheet-name", out var sheetEntry))
        {
            if (!xlsx)
            {
                Report(DiagnosticKind.UnknownKey, At(sheetEntry.Key), "sheet-name", "an external-body with provider json", "; it is only for provider xlsx");
            }
            else if (TryText(sheetEntry.Key, sheetEntry.Value, "a sheet name", out var sheetScalar))
            {
                sheetName = sheetScalar.Value;
            }
        }
        if (!keys.TryGetValue("path", out var pathEntry))
        {
            Report(DiagnosticKind.MissingKey, At(key), "external-body", "path", "add the file's path or url, such as 'path: data/users.json'");
        }
        else if (TryText(pathEntry.Key, pathEntry.Value, "a file path or url", out var pathScalar))
        {
            var written = pathScalar.Value ?? string.Empty;
            var external = new ExternalBodySpec(CompileTemplate(written, TemplateKind.Raw, pathScalar, scope), MockDirectory: string.Empty, null, null, Xlsx: xlsx, SheetName: sheetName); // set by ExternalFiles.Resolve
            if (external.IsBuildTime && scope.EndpointIndex is { } endpointIndex)
            {
                // against the mock file's folder, then against the project's folder.
                var nextToMock = FilePaths.Resolve(_directory, written);
                var inProject = _projectDirectory.Length == 0 || FilePaths.IsRooted(written) ? null : FilePaths.Resolve(_projectDirectory, written);
                _externalFiles.Add(new ExternalFileRef(endpointIndex, nextToMock, written, ValueAt(pathEntry.Key, pathScalar),
                    inProject is null || inProject == nextToMock ? null : inProject, xlsx, sheetName));
            }
            return external;
        }
        return null;
    }
}
