using Moclojer.Generators.Model;
using YamlDotNet.Core;

namespace Moclojer.Generators.Parsing;

/// <summary>
/// The file's own line table. YamlDotNet marks are 1-based line/column; converting them through this table keeps
/// the character span and the line span of every diagnostic in agreement.
/// </summary>
internal sealed class LineMap
{
    private readonly string _path;
    private readonly string _text;
    private readonly List<int> _lineStarts = [0];

    public LineMap(string path, string text)
    {
        _path = path;
        _text = text;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
            else if (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public int LineCount => _lineStarts.Count;

    /// <summary>The text of a 0-based line, without its line break.</summary>
    public string Line(int line) => line < 0 || line >= _lineStarts.Count ? string.Empty : _text.Substring(_lineStarts[line], LineLength(line));

    /// <summary>The length of a 0-based line (in the file), without its line break: a location needs no copy of the line.</summary>
    private int LineLength(int line)
    {
        var start = _lineStarts[line];
        var end = line + 1 < _lineStarts.Count ? _lineStarts[line + 1] : _text.Length;
        while (end > start && (_text[end - 1] == '\n' || _text[end - 1] == '\r'))
        {
            end--;
        }
        return end - start;
    }

    /// <summary>A location from 0-based line/column pairs, clamped into the file.</summary>
    public LocationInfo At(int startLine, int startColumn, int endLine, int endColumn)
    {
        var start = Offset(ref startLine, ref startColumn);
        var end = Offset(ref endLine, ref endColumn);
        if (end < start)
        {
            end = start;
            endLine = startLine;
            endColumn = startColumn;
        }
        return new LocationInfo(_path, start, end - start, startLine, startColumn, endLine, endColumn);
    }

    /// <summary>A location on one line from a 0-based column and a length.</summary>
    public LocationInfo OnLine(int line, int column, int length) => At(line, column, line, column + Math.Max(length, 0));

    /// <summary>A location from a character offset of the whole text and a length on its line.</summary>
    public LocationInfo AtOffset(int offset, int length)
    {
        var line = _lineStarts.BinarySearch(Math.Max(0, offset));
        if (line < 0)
        {
            line = ~line - 1;
        }
        return OnLine(line, offset - _lineStarts[line], length);
    }

    public LocationInfo FromMarks(Mark start, Mark end) =>
        At((int)start.Line - 1, (int)start.Column - 1, (int)end.Line - 1, (int)end.Column - 1);

    public LocationInfo EndOfFile()
    {
        var last = _lineStarts.Count - 1;
        return OnLine(last, LineLength(last), 0);
    }

    private int Offset(ref int line, ref int column)
    {
        if (line < 0)
        {
            line = 0;
            column = 0;
        }
        if (line >= _lineStarts.Count)
        {
            line = _lineStarts.Count - 1;
            column = LineLength(line);
        }
        var lineLength = LineLength(line);
        if (column < 0)
        {
            column = 0;
        }
        if (column > lineLength)
        {
            column = lineLength;
        }
        return _lineStarts[line] + column;
    }
}
