// Shared source (X-4): how an .xlsx workbook becomes JSON. Compiled into the runtime (public, Moclojer.Runtime:
// templated xlsx paths are read per request) and, unchanged, by the package's build targets as an inline MSBuild
// task (build/Moclojer.Generators.targets, RoslynCodeTaskFactory), which converts the workbooks of static paths
// into JSON AdditionalFiles before the compiler runs: a source generator can only read AdditionalFiles as text, and
// an .xlsx is a zip archive.
//
// Why the BCL and not a spreadsheet library: the task runs inside MSBuild (the .NET SDK's, or Visual Studio's .NET
// Framework one) and the runtime must stay AOT-compatible and small. A library would have to be loaded into MSBuild
// next to the task (and the generator's dependencies load inside the compiler, where a second copy of a popular
// library can clash with another analyzer's). An .xlsx sheet is a zip of a few XML parts, and only cell values are
// needed, so System.IO.Compression and XmlReader (both in netstandard2.0 and in the shared framework) read it in a
// page of code. The code stays netstandard2.0 C# for the MSBuild task.

#nullable enable

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Xml;

#if MOCLOJER_RUNTIME
namespace Moclojer.Runtime
{
#else
namespace Moclojer.Workbooks
{
#endif
    /// <summary>
    /// Reads the sheets of an .xlsx workbook as JSON (spec X-4): each sheet is an array of objects, one per row after
    /// the first, keyed by the first row's cells. Text cells are strings, numeric cells numbers (dates too: their
    /// serial number), booleans booleans, empty cells <c>null</c>; columns without a heading are left out, and so are
    /// rows without any value.
    /// </summary>
    public static class MockWorkbook
    {
        /// <summary>The sheets in workbook order, each as (name, JSON array). Throws <see cref="InvalidDataException"/> for a file that is no workbook.</summary>
        public static List<KeyValuePair<string, string>> ReadSheets(Stream workbook, string? onlySheet = null)
        {
            try
            {
                using var zip = Open(workbook);
                var strings = SharedStrings(zip);
                var targets = Relationships(zip);
                var result = new List<KeyValuePair<string, string>>();
                foreach (var sheet in SheetList(zip))
                {
                    if (onlySheet is not null && !string.Equals(sheet.Key, onlySheet, StringComparison.Ordinal))
                    {
                        continue;
                    }
                    if (!targets.TryGetValue(sheet.Value, out var target))
                    {
                        throw new InvalidDataException("the sheet '" + sheet.Key + "' has no part");
                    }
                    var entry = zip.GetEntry(target) ?? throw new InvalidDataException("the part " + target + " of sheet '" + sheet.Key + "' is missing");
                    using var stream = entry.Open();
                    result.Add(new KeyValuePair<string, string>(sheet.Key, SheetJson(stream, strings)));
                }
                return result;
            }
            catch (XmlException ex)
            {
                throw new InvalidDataException("it is not a valid workbook (" + ex.Message + ")", ex);
            }
        }

        /// <summary>The names of the sheets, in workbook order.</summary>
        public static List<string> SheetNames(Stream workbook)
        {
            try
            {
                using var zip = Open(workbook);
                var names = new List<string>();
                foreach (var sheet in SheetList(zip))
                {
                    names.Add(sheet.Key);
                }
                return names;
            }
            catch (XmlException ex)
            {
                throw new InvalidDataException("it is not a valid workbook (" + ex.Message + ")", ex);
            }
        }

        /// <summary>
        /// The converted form the build targets write for the generator: <c>{"sheets":[{"name":"…","rows":"[…]"},…]}</c> (each sheet's JSON as a string, so a reader
        /// needs no JSON writer to get it back as written),
        /// or <c>{"error":"…"}</c> for a file that cannot be read (the generator reports it at the mock file's line).
        /// </summary>
        public static string ConvertedJson(Stream workbook)
        {
            List<KeyValuePair<string, string>> sheets;
            try
            {
                sheets = ReadSheets(workbook);
            }
            catch (InvalidDataException ex)
            {
                return "{\"error\":" + JsonString(ex.Message) + "}";
            }
            var text = new StringBuilder("{\"sheets\":[");
            for (var i = 0; i < sheets.Count; i++)
            {
                text.Append(i == 0 ? "\n" : ",\n").Append("{\"name\":").Append(JsonString(sheets[i].Key)).Append(",\"rows\":").Append(JsonString(sheets[i].Value)).Append('}');
            }
            return text.Append("\n]}\n").ToString();
        }

        private static ZipArchive Open(Stream workbook)
        {
            try
            {
                return new ZipArchive(workbook, ZipArchiveMode.Read, leaveOpen: true);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException("it is not an .xlsx workbook (" + ex.Message.TrimEnd('.') + ")", ex);
            }
        }

        private static XmlReader Xml(Stream stream) =>
            XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = false });

        private static ZipArchiveEntry Required(ZipArchive zip, string name) =>
            zip.GetEntry(name) ?? throw new InvalidDataException("it is not an .xlsx workbook (no " + name + ")");

        /// <summary>xl/workbook.xml: (sheet name, relationship id), in order.</summary>
        private static List<KeyValuePair<string, string>> SheetList(ZipArchive zip)
        {
            var sheets = new List<KeyValuePair<string, string>>();
            using var stream = Required(zip, "xl/workbook.xml").Open();
            using var reader = Xml(stream);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "sheet")
                {
                    string? id = null;
                    for (var i = 0; i < reader.AttributeCount; i++)
                    {
                        reader.MoveToAttribute(i);
                        if (reader.LocalName == "id" && reader.NamespaceURI.EndsWith("/relationships", StringComparison.Ordinal))
                        {
                            id = reader.Value;
                        }
                    }
                    reader.MoveToElement();
                    sheets.Add(new KeyValuePair<string, string>(reader.GetAttribute("name") ?? string.Empty, id ?? string.Empty));
                }
            }
            return sheets;
        }

        /// <summary>xl/_rels/workbook.xml.rels: relationship id → part name in the archive.</summary>
        private static Dictionary<string, string> Relationships(ZipArchive zip)
        {
            var targets = new Dictionary<string, string>(StringComparer.Ordinal);
            using var stream = Required(zip, "xl/_rels/workbook.xml.rels").Open();
            using var reader = Xml(stream);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Relationship")
                {
                    var id = reader.GetAttribute("Id");
                    var target = reader.GetAttribute("Target");
                    if (id is not null && target is not null)
                    {
                        targets[id] = target.StartsWith("/", StringComparison.Ordinal) ? target.Substring(1) : "xl/" + target;
                    }
                }
            }
            return targets;
        }

        /// <summary>xl/sharedStrings.xml (optional): the text of each <c>si</c>, rich-text runs joined, phonetic runs left out.</summary>
        private static List<string> SharedStrings(ZipArchive zip)
        {
            var strings = new List<string>();
            var entry = zip.GetEntry("xl/sharedStrings.xml");
            if (entry is null)
            {
                return strings;
            }
            using var stream = entry.Open();
            using var reader = Xml(stream);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "si")
                {
                    strings.Add(reader.IsEmptyElement ? string.Empty : InlineText(reader));
                }
            }
            return strings;
        }

        /// <summary>
        /// The text of the element the reader is on (si or is): its t elements, phonetic runs (rPh) left out. Leaves
        /// the reader on the element's end tag.
        /// </summary>
        private static string InlineText(XmlReader reader)
        {
            var depth = reader.Depth;
            var text = new StringBuilder();
            reader.Read();
            while (!reader.EOF && reader.Depth > depth)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "t")
                {
                    text.Append(reader.ReadElementContentAsString());
                }
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "rPh")
                {
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                }
            }
            return text.ToString();
        }

        /// <summary>One worksheet part as a JSON array of row objects.</summary>
        private static string SheetJson(Stream stream, List<string> strings)
        {
            var rows = new List<SortedDictionary<int, string>>();
            using (var reader = Xml(stream))
            {
                SortedDictionary<int, string>? row = null;
                var nextColumn = 0;
                while (reader.Read())
                {
                    if (reader.NodeType != XmlNodeType.Element)
                    {
                        continue;
                    }
                    if (reader.LocalName == "row")
                    {
                        row = new SortedDictionary<int, string>();
                        var number = reader.GetAttribute("r");
                        var index = number is not null && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n - 1 : rows.Count;
                        while (rows.Count < index)
                        {
                            rows.Add(new SortedDictionary<int, string>());
                        }
                        rows.Add(row);
                        nextColumn = 0;
                        if (reader.IsEmptyElement)
                        {
                            row = null;
                        }
                    }
                    else if (reader.LocalName == "c" && row is not null)
                    {
                        var column = Column(reader.GetAttribute("r")) ?? nextColumn;
                        nextColumn = column + 1;
                        var value = CellJson(reader, strings);
                        if (value is not null)
                        {
                            row[column] = value;
                        }
                    }
                }
            }

            var json = new StringBuilder("[");
            if (rows.Count > 0)
            {
                var headings = new SortedDictionary<int, string>();
                foreach (var cell in rows[0])
                {
                    // The first row's cells are the keys, as text whatever their type.
                    var key = cell.Value.StartsWith("\"", StringComparison.Ordinal) ? cell.Value : JsonString(cell.Value);
                    if (key != "\"\"")
                    {
                        headings[cell.Key] = key;
                    }
                }
                var first = true;
                for (var i = 1; i < rows.Count; i++)
                {
                    var hasValue = false;
                    foreach (var column in headings.Keys)
                    {
                        hasValue |= rows[i].ContainsKey(column);
                    }
                    if (!hasValue)
                    {
                        continue;
                    }
                    json.Append(first ? "{" : ",{");
                    first = false;
                    var firstKey = true;
                    foreach (var heading in headings)
                    {
                        json.Append(firstKey ? string.Empty : ",").Append(heading.Value).Append(':')
                            .Append(rows[i].TryGetValue(heading.Key, out var value) ? value : "null");
                        firstKey = false;
                    }
                    json.Append('}');
                }
            }
            return json.Append(']').ToString();
        }

        /// <summary>A cell's value as JSON, or null when it is empty. The reader is on the <c>c</c> element.</summary>
        private static string? CellJson(XmlReader reader, List<string> strings)
        {
            var type = reader.GetAttribute("t") ?? "n";
            if (reader.IsEmptyElement)
            {
                return null;
            }
            var depth = reader.Depth;
            string? raw = null;
            string? inline = null;
            reader.Read();
            while (!reader.EOF && reader.Depth > depth)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "v")
                {
                    raw = reader.ReadElementContentAsString();
                }
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "is")
                {
                    inline = reader.IsEmptyElement ? string.Empty : InlineText(reader);
                    reader.Read();
                }
                else
                {
                    reader.Read();
                }
            }
            switch (type)
            {
                case "inlineStr":
                    return inline is null ? null : JsonString(inline);
                case "s":
                    return raw is not null && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < strings.Count
                        ? JsonString(strings[index])
                        : null;
                case "b":
                    return raw is null ? null : raw.Trim() == "1" ? "true" : "false";
                case "str":
                case "e":
                    return raw is null ? null : JsonString(raw);
                default:
                    return raw is null ? null : Number(raw);
            }
        }

        /// <summary>A numeric cell as a JSON number (integers without a fraction).</summary>
        private static string? Number(string raw)
        {
            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || double.IsInfinity(value))
            {
                return raw.Trim().Length == 0 ? null : JsonString(raw);
            }
            if (Math.Floor(value) == value && Math.Abs(value) < 1e15)
            {
                return ((long)value).ToString(CultureInfo.InvariantCulture);
            }
            return value.ToString("R", CultureInfo.InvariantCulture);
        }

        /// <summary>The 0-based column of a cell reference such as <c>B12</c>.</summary>
        private static int? Column(string? reference)
        {
            if (string.IsNullOrEmpty(reference))
            {
                return null;
            }
            var column = 0;
            var letters = 0;
            foreach (var c in reference!)
            {
                if (c >= 'A' && c <= 'Z')
                {
                    column = column * 26 + (c - 'A' + 1);
                    letters++;
                }
                else
                {
                    break;
                }
            }
            return letters == 0 ? null : column - 1;
        }

        private static string JsonString(string value)
        {
            var text = new StringBuilder(value.Length + 2).Append('"');
            foreach (var c in value)
            {
                switch (c)
                {
                    case '"': text.Append("\\\""); break;
                    case '\\': text.Append("\\\\"); break;
                    case '\n': text.Append("\\n"); break;
                    case '\r': text.Append("\\r"); break;
                    case '\t': text.Append("\\t"); break;
                    default:
                        if (c < 0x20 || c == '\u2028' || c == '\u2029')
                        {
                            text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            text.Append(c);
                        }
                        break;
                }
            }
            return text.Append('"').ToString();
        }
    }
}

#if !MOCLOJER_RUNTIME
/// <summary>
/// The package's inline MSBuild task: writes the converted JSON of each workbook (item metadata
/// <c>MoclojerConverted</c> is the output path), only when the workbook is newer than its conversion.
/// </summary>
public class MoclojerConvertWorkbooks : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Workbooks { get; set; } = new Microsoft.Build.Framework.ITaskItem[0];

    public override bool Execute()
    {
        foreach (var item in Workbooks)
        {
            var source = item.GetMetadata("FullPath");
            var output = item.GetMetadata("MoclojerConverted");
            if (File.Exists(output) && File.GetLastWriteTimeUtc(output) >= File.GetLastWriteTimeUtc(source))
            {
                continue;
            }
            string json;
            try
            {
                using var stream = File.OpenRead(source);
                json = Moclojer.Workbooks.MockWorkbook.ConvertedJson(stream);
            }
            catch (IOException ex)
            {
                json = "{\"error\":\"it cannot be read: " + ex.Message.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"}";
            }
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            File.WriteAllText(output, json, new UTF8Encoding(false));
        }
        return true;
    }
}
#endif
