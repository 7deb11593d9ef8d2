using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Resolution;

/// <summary>
/// X-4, static xlsx paths. A source generator can read AdditionalFiles only as text and an .xlsx is a zip archive, so
/// the package's build targets convert each workbook next to the mock files into JSON before the compiler runs (an
/// inline MSBuild task over src/Shared/MockWorkbook.cs, the reader the runtime uses for templated paths) and add it
/// as an AdditionalFile carrying the workbook's path. This reads that converted form,
/// <c>{"sheets":[{"name":"…","rows":"[…]"},…]}</c> or <c>{"error":"…"}</c>, with the YAML parser (JSON is YAML 1.2),
/// and returns the rows of one sheet as the JSON text the converter wrote.
/// </summary>
internal static class Workbooks
{
    public readonly record struct SheetResult(string? Json, string? Error, bool MissingSheet);

    public static SheetResult Sheet(string convertedJson, string? sheetName)
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(convertedJson));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                return new SheetResult(null, "its conversion is empty", false);
            }
            root = mapping;
        }
        catch (YamlException ex)
        {
            return new SheetResult(null, "its conversion is damaged (" + ex.Message + ")", false);
        }
        if (root.Children.TryGetValue(new YamlScalarNode("error"), out var error) && error is YamlScalarNode { Value: { } reason })
        {
            return new SheetResult(null, reason, false);
        }
        if (!root.Children.TryGetValue(new YamlScalarNode("sheets"), out var sheetsNode) || sheetsNode is not YamlSequenceNode sheets)
        {
            return new SheetResult(null, "its conversion has no sheets", false);
        }
        var names = new List<string>();
        foreach (var sheet in sheets.Children.OfType<YamlMappingNode>())
        {
            var name = sheet.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode { Value: { } text } ? text : string.Empty;
            names.Add(name);
            if ((sheetName is null || string.Equals(name, sheetName, StringComparison.Ordinal))
                && sheet.Children.TryGetValue(new YamlScalarNode("rows"), out var rows) && rows is YamlScalarNode { Value: { } json })
            {
                // The converter wrote the rows as compact JSON inside a string: that text is the body.
                return new SheetResult(json, null, false);
            }
        }
        return names.Count == 0
            ? new SheetResult(null, "it has no sheet", false)
            : new SheetResult(null, "'" + sheetName + "' (its sheets: '" + string.Join("', '", names) + "')", true);
    }
}
