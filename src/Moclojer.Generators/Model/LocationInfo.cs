namespace Moclojer.Generators.Model;

/// <summary>
/// A place in a mock file: character offsets plus 0-based line/column, both taken from the file's own line
/// table so the span and line span always agree. Converted to a Roslyn Location only when reported.
/// </summary>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    /// <summary>Returns a location that starts <paramref name="offset"/> characters into this one (same line).</summary>
    public LocationInfo Shift(int offset, int length) =>
        this with { Start = Start + offset, Length = length, StartColumn = StartColumn + offset, EndLine = StartLine, EndColumn = StartColumn + offset + length };
}
