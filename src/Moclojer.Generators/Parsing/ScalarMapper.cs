using Moclojer.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>
/// Maps an offset inside a scalar's value back to the file, so a problem inside a template or condition is
/// reported at its own column, also inside block scalars (<c>key: |</c>).
/// </summary>
internal readonly struct ScalarMapper
{
    private readonly LineMap _map;
    private readonly YamlScalarNode _node;

    public ScalarMapper(LineMap map, YamlScalarNode node)
    {
        _map = map;
        _node = node;
    }

    public LocationInfo Map(int offset, int length)
    {
        var value = _node.Value ?? string.Empty;
        offset = Math.Max(0, Math.Min(offset, value.Length));
        var lineIndex = 0;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (value[i] == '\n')
            {
                lineIndex++;
                lineStart = i + 1;
            }
        }
        var lineEnd = value.IndexOf('\n', offset);
        var maxLength = (lineEnd < 0 ? value.Length : lineEnd) - offset;
        length = Math.Max(1, Math.Min(length, Math.Max(maxLength, 1)));
        var startLine = (int)_node.Start.Line - 1;
        var startColumn = (int)_node.Start.Column - 1;

        if (_node.Style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            // Content starts on the line after the indicator, at the block's indentation.
            // The block's indentation is that of its first non-blank line; deeper lines keep the extra in the value.
            var fileLine = startLine + 1 + lineIndex;
            return _map.OnLine(fileLine, BlockIndentation(startLine + 1) + offset - lineStart, length);
        }

        var quote = _node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
        if (lineIndex == 0)
        {
            return _map.OnLine(startLine, startColumn + quote + offset, length);
        }
        var line = startLine + lineIndex;
        return _map.OnLine(line, Indentation(line) + offset - lineStart, length);
    }

    private int BlockIndentation(int firstLine)
    {
        for (var line = firstLine; line < _map.LineCount; line++)
        {
            if (_map.Line(line).Trim().Length > 0)
            {
                return Indentation(line);
            }
        }
        return 0;
    }

    private int Indentation(int line)
    {
        var text = _map.Line(line);
        var indent = 0;
        while (indent < text.Length && text[indent] == ' ')
        {
            indent++;
        }
        return indent;
    }
}
