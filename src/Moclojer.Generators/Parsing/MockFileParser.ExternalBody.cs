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
        if (!keys.TryGetValue("provider", out var provider))
        {
            Report(DiagnosticKind.MissingKey, At(key), "external-body", "provider", "add 'provider: json'");
        }
        else if (TryText(provider.Key, provider.Value, "a provider name", out var providerScalar) && providerScalar.Value != "json")
        {
            Report(DiagnosticKind.UnknownProvider, ValueAt(provider.Key, providerScalar), providerScalar.Value ?? string.Empty);
        }
        if (!keys.TryGetValue("path", out var pathEntry))
        {
            Report(DiagnosticKind.MissingKey, At(key), "external-body", "path", "add the file's path or url, such as 'path: data/users.json'");
        }
        else if (TryText(pathEntry.Key, pathEntry.Value, "a file path or url", out var pathScalar))
        {
            var written = pathScalar.Value ?? string.Empty;
            var external = new ExternalBodySpec(CompileTemplate(written, TemplateKind.Raw, pathScalar, scope), MockDirectory: string.Empty, null, null); // set by ExternalFiles.Resolve
            if (external.IsBuildTime && scope.EndpointIndex is { } endpointIndex)
            {
                _externalFiles.Add(new ExternalFileRef(endpointIndex, FilePaths.Resolve(_directory, written), written, ValueAt(pathEntry.Key, pathScalar)));
            }
            return external;
        }
        return null;
    }
}
