using System.Globalization;
using System.IO.Compression;
using System.Security;
using System.Text;

namespace Moclojer.Generators.TestShared;

/// <summary>
/// Writes small .xlsx workbooks for tests with System.IO.Compression, the parts a spreadsheet program writes:
/// workbook, its relationships, shared strings and one worksheet per sheet. Cells: a string (shared string), a
/// number, a bool, or null (no cell).
/// </summary>
public static class TestWorkbook
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static byte[] Create(params (string Name, object?[][] Rows)[] sheets)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            var strings = new List<string>();
            var workbook = new StringBuilder($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{Main}" xmlns:r="{Relationships}"><sheets>""");
            var rels = new StringBuilder("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">""");
            for (var i = 0; i < sheets.Length; i++)
            {
                workbook.Append($"""<sheet name="{SecurityElement.Escape(sheets[i].Name)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>""");
                rels.Append($"""<Relationship Id="rId{i + 1}" Type="{Relationships}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>""");
                Write(zip, $"xl/worksheets/sheet{i + 1}.xml", Sheet(sheets[i].Rows, strings));
            }
            Write(zip, "xl/workbook.xml", workbook.Append("</sheets></workbook>").ToString());
            Write(zip, "xl/_rels/workbook.xml.rels", rels.Append("</Relationships>").ToString());
            var sst = new StringBuilder($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{Main}" count="{strings.Count}">""");
            foreach (var text in strings)
            {
                sst.Append("<si><t xml:space=\"preserve\">").Append(SecurityElement.Escape(text)).Append("</t></si>");
            }
            Write(zip, "xl/sharedStrings.xml", sst.Append("</sst>").ToString());
            Write(zip, "[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>""");
        }
        return output.ToArray();
    }

    private static string Sheet(object?[][] rows, List<string> strings)
    {
        var xml = new StringBuilder($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{Main}"><sheetData>""");
        for (var r = 0; r < rows.Length; r++)
        {
            xml.Append($"""<row r="{r + 1}">""");
            for (var c = 0; c < rows[r].Length; c++)
            {
                var reference = (char)('A' + c) + (r + 1).ToString(CultureInfo.InvariantCulture);
                switch (rows[r][c])
                {
                    case null:
                        break;
                    case string text:
                        strings.Add(text);
                        xml.Append($"""<c r="{reference}" t="s"><v>{strings.Count - 1}</v></c>""");
                        break;
                    case bool flag:
                        xml.Append($"""<c r="{reference}" t="b"><v>{(flag ? 1 : 0)}</v></c>""");
                        break;
                    case IFormattable number:
                        xml.Append($"""<c r="{reference}"><v>{number.ToString(null, CultureInfo.InvariantCulture)}</v></c>""");
                        break;
                }
            }
            xml.Append("</row>");
        }
        return xml.Append("</sheetData></worksheet>").ToString();
    }

    private static void Write(ZipArchive zip, string name, string text)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(Encoding.UTF8.GetBytes(text));
    }
}
