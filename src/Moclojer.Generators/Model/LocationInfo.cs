namespace Moclojer.Generators.Model;

/// <summary>
/// A place in a mock file: character offsets plus 0-based line/column, both taken from the file's own line
/// table so the span and line span always agree. Converted to a Roslyn Location only when reported.
/// </summary>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn);
