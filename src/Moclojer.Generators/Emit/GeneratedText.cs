using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Moclojer.Generators.Emit;

/// <summary>
/// The text of a generated file, appended in chunks of a few kilobytes and handed to the compiler as it is
/// (<see cref="ToSourceText"/>). A file of megabytes (the service of thousands of endpoints) is never copied into
/// one string: that copy doubled the memory of writing it and landed on the large object heap at every build.
/// </summary>
internal sealed class GeneratedText
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits; // 8 KB per chunk, far below the large object heap's threshold
    private const int ChunkMask = ChunkSize - 1;

    // Indentation is copied from here rather than written a character at a time: the writer runs once per build, in
    // code the runtime has not optimised yet, where a loop per character costs more than the copy.
    private static readonly char[] Spaces = new string(' ', 128).ToCharArray();

    private readonly List<char[]> _chunks;
    private char[] _chunk; // the last chunk, the one being written
    private int _offset; // characters written in it

    public GeneratedText()
    {
        _chunk = new char[ChunkSize];
        _chunks = [_chunk];
    }

    public int Length => ((_chunks.Count - 1) << ChunkBits) + _offset;

    public GeneratedText Append(char value)
    {
        if (_offset == ChunkSize)
        {
            NextChunk();
        }
        _chunk[_offset++] = value;
        return this;
    }

    /// <summary>Appends <paramref name="count"/> spaces (indentation), copied from a run of spaces.</summary>
    public GeneratedText AppendSpaces(int count)
    {
        while (count > 0)
        {
            var n = Math.Min(count, Spaces.Length);
            Append(Spaces.AsSpan(0, n));
            count -= n;
        }
        return this;
    }

    public GeneratedText Append(string value) => Append(value.AsSpan());

    public GeneratedText Append(string value, int start, int count) => Append(value.AsSpan(start, count));

    public GeneratedText Append(ReadOnlySpan<char> value)
    {
        while (!value.IsEmpty)
        {
            if (_offset == ChunkSize)
            {
                NextChunk();
            }
            var n = Math.Min(value.Length, ChunkSize - _offset);
            value.Slice(0, n).CopyTo(_chunk.AsSpan(_offset));
            _offset += n;
            value = value.Slice(n);
        }
        return this;
    }

    /// <summary>The text as the compiler reads it, UTF-8 when written to disk; this buffer must not change afterwards.</summary>
    public SourceText ToSourceText() => new Text(_chunks.ToArray(), Length);

    public override string ToString()
    {
        var text = new char[Length];
        CopyTo(_chunks, 0, text, 0, text.Length);
        return new string(text);
    }

    private void NextChunk()
    {
        _chunk = new char[ChunkSize];
        _chunks.Add(_chunk);
        _offset = 0;
    }

    private static void CopyTo(IReadOnlyList<char[]> chunks, int sourceIndex, char[] destination, int destinationIndex, int count)
    {
        while (count > 0)
        {
            var offset = sourceIndex & ChunkMask;
            var n = Math.Min(count, ChunkSize - offset);
            Array.Copy(chunks[sourceIndex >> ChunkBits], offset, destination, destinationIndex, n);
            sourceIndex += n;
            destinationIndex += n;
            count -= n;
        }
    }

    /// <summary>A <see cref="SourceText"/> over the chunks: the compiler's lexer and writers read it through <see cref="CopyTo"/>.</summary>
    private sealed class Text(char[][] chunks, int length) : SourceText
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override int Length => length;

        public override char this[int position] =>
            (uint)position < (uint)length
                ? chunks[position >> ChunkBits][position & ChunkMask]
                : throw new ArgumentOutOfRangeException(nameof(position));

        public override void CopyTo(int sourceIndex, char[] destination, int destinationIndex, int count)
        {
            if (sourceIndex < 0 || count < 0 || sourceIndex > length - count)
            {
                throw new ArgumentOutOfRangeException(nameof(sourceIndex));
            }
            GeneratedText.CopyTo(chunks, sourceIndex, destination, destinationIndex, count);
        }
    }
}
