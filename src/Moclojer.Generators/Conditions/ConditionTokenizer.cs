using System.Collections.Generic;

namespace Moclojer.Generators.Conditions;

internal enum ConditionTokenKind
{
    /// <summary>End of the text (always the last token).</summary>
    End,
    /// <summary>A run of characters other than spaces, parentheses, quotes and <c>= ! &lt; &gt;</c>: a keyword,
    /// a variable, a number, <c>true</c>/<c>false</c> or an unknown word.</summary>
    Word,
    /// <summary>A quoted literal; <see cref="ConditionToken.Text"/> is its content without the quotes.</summary>
    String,
    /// <summary>One of the six comparison operators.</summary>
    Operator,
    OpenParen,
    CloseParen,
    /// <summary>A run of <c>= ! &lt; &gt;</c> that is not an operator (<c>==</c>, <c>=&gt;</c>, <c>!</c>).</summary>
    BadOperator,
    /// <summary>A quote with no closing quote; it runs to the end of the text.</summary>
    UnterminatedString,
}

/// <summary>One token: its kind, where it is in the condition text, and its text (see <see cref="ConditionTokenKind"/>).</summary>
internal readonly struct ConditionToken
{
    public ConditionToken(ConditionTokenKind kind, int offset, int length, string text)
    {
        Kind = kind;
        Offset = offset;
        Length = length;
        Text = text;
    }

    public ConditionTokenKind Kind { get; }

    public int Offset { get; }

    public int Length { get; }

    public int End => Offset + Length;

    /// <summary>The token's text; for strings, the content between the quotes.</summary>
    public string Text { get; }

    public bool IsWord(string word) => Kind == ConditionTokenKind.Word && Text == word;
}

/// <summary>
/// Splits a condition into tokens (C-1). Spaces are needed only between two words: operators, parentheses and
/// quotes end a word. Malformed pieces become <see cref="ConditionTokenKind.BadOperator"/> and
/// <see cref="ConditionTokenKind.UnterminatedString"/> tokens, which the parser reports when it reaches them, so the
/// first problem from the left is the one reported.
/// </summary>
internal static class ConditionTokenizer
{
    public static List<ConditionToken> Tokenize(string text)
    {
        var tokens = new List<ConditionToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            var start = i;
            if (c == '(')
            {
                tokens.Add(new ConditionToken(ConditionTokenKind.OpenParen, start, 1, "("));
                i++;
            }
            else if (c == ')')
            {
                tokens.Add(new ConditionToken(ConditionTokenKind.CloseParen, start, 1, ")"));
                i++;
            }
            else if (c == '"' || c == '\'')
            {
                var close = text.IndexOf(c, start + 1);
                if (close < 0)
                {
                    tokens.Add(new ConditionToken(ConditionTokenKind.UnterminatedString, start, text.Length - start, text.Substring(start)));
                    i = text.Length;
                }
                else
                {
                    tokens.Add(new ConditionToken(ConditionTokenKind.String, start, close + 1 - start, text.Substring(start + 1, close - start - 1)));
                    i = close + 1;
                }
            }
            else if (IsOperatorChar(c))
            {
                while (i < text.Length && IsOperatorChar(text[i]))
                {
                    i++;
                }
                var run = text.Substring(start, i - start);
                var kind = run is "=" or "!=" or ">" or "<" or ">=" or "<=" ? ConditionTokenKind.Operator : ConditionTokenKind.BadOperator;
                tokens.Add(new ConditionToken(kind, start, run.Length, run));
            }
            else
            {
                while (i < text.Length && IsWordChar(text[i]))
                {
                    i++;
                }
                tokens.Add(new ConditionToken(ConditionTokenKind.Word, start, i - start, text.Substring(start, i - start)));
            }
        }
        tokens.Add(new ConditionToken(ConditionTokenKind.End, text.Length, 0, string.Empty));
        return tokens;
    }

    public static bool IsOperatorChar(char c) => c is '=' or '!' or '<' or '>';

    private static bool IsWordChar(char c) => !char.IsWhiteSpace(c) && !IsOperatorChar(c) && c is not ('(' or ')' or '"' or '\'');
}
