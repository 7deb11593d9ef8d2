using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Conditions;

/// <summary>
/// Parses the condition language of spec section C into a <see cref="ConditionNode"/> tree:
/// <code>
/// or         := and ( "or" and )*
/// and        := comparison ( "and" comparison )*
/// comparison := unary ( OP unary )?     ; both sides of OP must be operands
/// unary      := "not" unary | "(" or ")" | operand
/// </code>
/// Problems are returned as data (the first one from the left); this never throws.
/// </summary>
internal static class ConditionParser
{
    /// <summary>How deeply parentheses and <c>not</c> may nest; deeper input is <c>if-malformed</c>.</summary>
    public const int MaxNesting = 64;

    private static readonly ConditionParseResult Always = new(null, EquatableArray<ConditionError>.Empty);

    /// <summary>
    /// Parses <paramref name="text"/>. Empty or blank text gives a null root and no errors ("always", W-6).
    /// </summary>
    public static ConditionParseResult Parse(string? text)
    {
        if (text is null || IsBlank(text))
        {
            return Always;
        }
        try
        {
            var parser = new Parser(text);
            var root = parser.ParseCondition();
            if (root is null || parser.Error is not null)
            {
                return Failure(parser.Error ?? new ConditionError(ConditionErrorCodes.Malformed, "The condition could not be read.", 0, text.Length));
            }
            return new ConditionParseResult(root, EquatableArray<ConditionError>.Empty);
        }
        catch (Exception exception)
        {
            // Defensive only: the parser is fuzzed and should never get here, but a generator must not crash.
            return Failure(new ConditionError(
                ConditionErrorCodes.Malformed,
                $"The condition could not be read (internal error: {exception.GetType().Name}); please report this with the condition text.",
                0,
                text.Length));
        }
    }

    private static ConditionParseResult Failure(ConditionError error) =>
        new(null, new EquatableArray<ConditionError>(ImmutableArray.Create(error)));

    private static bool IsBlank(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }
        return true;
    }

    private enum PartKind
    {
        /// <summary>A variable or literal written on its own.</summary>
        Operand,
        /// <summary><c>not X</c>.</summary>
        Not,
        /// <summary><c>( … )</c>.</summary>
        Group,
        /// <summary>A comparison, or an <c>and</c>/<c>or</c> chain.</summary>
        Combined,
    }

    /// <summary>A parsed piece with its span in the text (including any parentheses around it).</summary>
    private readonly struct Part
    {
        public Part(ConditionNode node, int start, int end, PartKind kind)
        {
            Node = node;
            Start = start;
            End = end;
            Kind = kind;
        }

        public ConditionNode Node { get; }

        public int Start { get; }

        public int End { get; }

        public PartKind Kind { get; }
    }

    private sealed class Parser
    {
        private readonly string _text;
        private readonly List<ConditionToken> _tokens;
        private readonly List<ConditionToken> _openParens = new();
        private int _position;

        public Parser(string text)
        {
            _text = text;
            _tokens = ConditionTokenizer.Tokenize(text);
        }

        public ConditionError? Error { get; private set; }

        private ConditionToken Peek => _tokens[_position];

        private ConditionToken Take() => _tokens[_position++];

        public ConditionNode? ParseCondition()
        {
            var condition = ParseOr(0);
            if (condition is not { } part)
            {
                return null;
            }
            var next = Peek;
            if (next.Kind == ConditionTokenKind.End)
            {
                return part.Node;
            }
            if (next.Kind == ConditionTokenKind.CloseParen)
            {
                Fail(ConditionErrorCodes.Malformed, next,
                    "Stray ')': no '(' before it is still open. Remove it, or add the matching '(' where the group should start.");
                return null;
            }
            FailAfterOperand(next, part);
            return null;
        }

        private Part? ParseOr(int depth)
        {
            if (ParseAnd(depth) is not { } first)
            {
                return null;
            }
            if (!Peek.IsWord("or"))
            {
                return first;
            }
            var items = ImmutableArray.CreateBuilder<ConditionNode>();
            items.Add(first.Node);
            var last = first;
            while (Peek.IsWord("or"))
            {
                Take();
                if (ParseAnd(depth) is not { } next)
                {
                    return null;
                }
                items.Add(next.Node);
                last = next;
            }
            var node = new OrNode(new EquatableArray<ConditionNode>(items.ToImmutable()), first.Start, last.End - first.Start);
            return new Part(node, first.Start, last.End, PartKind.Combined);
        }

        private Part? ParseAnd(int depth)
        {
            if (ParseComparison(depth) is not { } first)
            {
                return null;
            }
            if (!Peek.IsWord("and"))
            {
                return first;
            }
            var items = ImmutableArray.CreateBuilder<ConditionNode>();
            items.Add(first.Node);
            var last = first;
            while (Peek.IsWord("and"))
            {
                Take();
                if (ParseComparison(depth) is not { } next)
                {
                    return null;
                }
                items.Add(next.Node);
                last = next;
            }
            var node = new AndNode(new EquatableArray<ConditionNode>(items.ToImmutable()), first.Start, last.End - first.Start);
            return new Part(node, first.Start, last.End, PartKind.Combined);
        }

        private Part? ParseComparison(int depth)
        {
            if (ParseUnary(depth) is not { } left)
            {
                return null;
            }
            if (Peek.Kind != ConditionTokenKind.Operator)
            {
                return left;
            }
            var operatorToken = Take();
            if (left.Kind != PartKind.Operand)
            {
                return FailNotAnOperand(left, operatorToken, isLeft: true);
            }
            if (ParseUnary(depth) is not { } right)
            {
                return null;
            }
            if (right.Kind != PartKind.Operand)
            {
                return FailNotAnOperand(right, operatorToken, isLeft: false);
            }

            var op = ParseOperator(operatorToken.Text);
            var leftOperand = (OperandNode)left.Node;
            var rightOperand = (OperandNode)right.Node;
            if (ConditionText.IsRelational(op))
            {
                foreach (var side in new[] { leftOperand, rightOperand })
                {
                    if (side is LiteralOperand { IsNumeric: false } literal)
                    {
                        return Fail(ConditionErrorCodes.NonNumericOperand, literal.Offset, literal.Length,
                            $"{Quote(Slice(literal.Offset, literal.End))} is not a number, and '{operatorToken.Text}' compares numbers only. "
                            + "Use a number (such as 100), or compare text with '=' or '!='.");
                    }
                }
            }
            if (Peek.Kind == ConditionTokenKind.Operator)
            {
                var second = Peek;
                var leftText = Slice(left.Start, left.End);
                var middle = Slice(right.Start, right.End);
                return Fail(ConditionErrorCodes.Malformed, second,
                    $"Comparisons cannot be chained ('{leftText} {operatorToken.Text} {middle} {second.Text} …'). "
                    + $"Combine two comparisons with 'and': '{leftText} {operatorToken.Text} {middle} and {middle} {second.Text} …'.");
            }
            var node = new ComparisonNode(leftOperand, op, rightOperand, operatorToken.Offset, left.Start, right.End - left.Start);
            return new Part(node, left.Start, right.End, PartKind.Combined);
        }

        private Part? ParseUnary(int depth)
        {
            var token = Peek;
            if (depth > MaxNesting)
            {
                return Fail(ConditionErrorCodes.Malformed, token,
                    $"The condition nests parentheses and 'not' more than {MaxNesting} levels deep. Simplify it.");
            }
            switch (token.Kind)
            {
                case ConditionTokenKind.Word when token.Text == "not":
                {
                    Take();
                    if (ParseUnary(depth + 1) is not { } operand)
                    {
                        return null;
                    }
                    return new Part(new NotNode(operand.Node, token.Offset, operand.End - token.Offset), token.Offset, operand.End, PartKind.Not);
                }
                case ConditionTokenKind.Word when token.Text is "and" or "or":
                    return FailMissingOperand(token);
                case ConditionTokenKind.Word:
                    Take();
                    return ParseWord(token);
                case ConditionTokenKind.String:
                    Take();
                    return new Part(new LiteralOperand(token.Text, LiteralKind.String, token.Offset, token.Length), token.Offset, token.End, PartKind.Operand);
                case ConditionTokenKind.OpenParen:
                {
                    Take();
                    _openParens.Add(token);
                    if (ParseOr(depth + 1) is not { } inner)
                    {
                        return null;
                    }
                    var close = Peek;
                    if (close.Kind == ConditionTokenKind.CloseParen)
                    {
                        Take();
                        _openParens.RemoveAt(_openParens.Count - 1);
                        return new Part(inner.Node, token.Offset, close.End, PartKind.Group);
                    }
                    if (close.Kind == ConditionTokenKind.End)
                    {
                        // Report the leftmost '(' that is still open.
                        return Fail(ConditionErrorCodes.Malformed, _openParens[0],
                            "This '(' is never closed. Add the matching ')' where the group ends.");
                    }
                    return FailAfterOperand(close, inner);
                }
                case ConditionTokenKind.BadOperator:
                    return FailBadOperator(token);
                case ConditionTokenKind.UnterminatedString:
                    return FailUnterminated(token);
                default:
                    // End, ')' or an operator where a value should be.
                    return FailMissingOperand(token);
            }
        }

        private Part? ParseWord(ConditionToken token)
        {
            var word = token.Text;
            if (word is "any" or "all")
            {
                return FailAnyAll(token);
            }
            if (word is "true" or "false")
            {
                return Operand(new LiteralOperand(word, LiteralKind.Boolean, token.Offset, token.Length));
            }
            if (MockConditions.IsNumeric(word.AsSpan()))
            {
                return Operand(new LiteralOperand(word, LiteralKind.Number, token.Offset, token.Length));
            }
            var error = TemplateSyntax.ReadVariable(word, out var source, out var path);
            if (error == TemplateTagError.None)
            {
                var variable = VariableRef.From(source, path);
                if (variable.Source is VariableSource.Now or VariableSource.Uuid)
                {
                    return Fail(ConditionErrorCodes.UnknownVariableSource, token,
                        $"'{word}' cannot be used in a condition: conditions read the request through path-params, query-params, json-params "
                        + "and header-params. To compare with the text, quote it: \"" + word + "\".");
                }
                return Operand(new VariableOperand(variable, token.Offset, token.Length));
            }
            return Fail(ConditionErrorCodes.UnknownVariableSource, token, DescribeUnknownWord(word, error));
        }

        private static Part Operand(OperandNode node) => new(node, node.Offset, node.End, PartKind.Operand);

        private static string DescribeUnknownWord(string word, TemplateTagError error)
        {
            const string roots = "path-params, query-params, json-params or header-params";
            var lower = word.ToLowerInvariant();
            if (lower is "and" or "or" or "not" or "true" or "false")
            {
                return $"'{word}' is not a keyword or value: keywords and true/false are lower case, so write '{lower}'. "
                    + $"To compare with the text, quote it: \"{word}\".";
            }
            if (word.StartsWith("{{", StringComparison.Ordinal) || word.EndsWith("}}", StringComparison.Ordinal))
            {
                var inner = word.Trim('{', '}');
                var example = inner.Length > 0 ? inner : "json-params.status";
                return $"'{word}' uses template braces, but a condition names its variables without them: write {example}, not {{{{{example}}}}}.";
            }
            var dot = word.IndexOf('.');
            var root = dot < 0 ? word : word.Substring(0, dot);
            var rest = dot < 0 ? string.Empty : word.Substring(dot + 1);
            if (error == TemplateTagError.MissingName)
            {
                return root == TemplateSyntax.JsonParamsRoot
                    ? $"'{word}' has an empty part between dots. Write json-params.<key>.<key>, e.g. json-params.user.name."
                    : $"'{word}' needs a name: write {root}.<name>, e.g. {root}.id.";
            }
            var first = word[0];
            if ((first >= '0' && first <= '9') || first is '-' or '+' or '.')
            {
                return $"'{word}' is not a number: numbers look like 42, -3.5, .5 or 1e3 (no '+' sign, no trailing '.'). "
                    + $"To compare with the text, quote it: \"{word}\".";
            }
            if (root is "headers" or "header" or "header-param")
            {
                return $"'{root}' is not a variable source: use header-params.<Name>, e.g. header-params.X-Api-Key.";
            }
            if (dot >= 0)
            {
                return $"'{root}' is not a variable source: use {roots} (e.g. json-params.{(rest.Length > 0 ? rest : "status")}).";
            }
            return $"'{word}' is not a variable, a number, or true/false. To compare with the text, quote it: \"{word}\"; "
                + $"to read the request, use {roots} (e.g. json-params.{word}).";
        }

        private static ComparisonOperator ParseOperator(string text) => text switch
        {
            "=" => ComparisonOperator.Equal,
            "!=" => ComparisonOperator.NotEqual,
            ">" => ComparisonOperator.Greater,
            "<" => ComparisonOperator.Less,
            ">=" => ComparisonOperator.GreaterOrEqual,
            _ => ComparisonOperator.LessOrEqual,
        };

        private Part? FailMissingOperand(ConditionToken token)
        {
            var previous = _position > 0 ? _tokens[_position - 1] : (ConditionToken?)null;
            if (token.Kind == ConditionTokenKind.End && previous is { } last)
            {
                var hint = last.Kind == ConditionTokenKind.Operator
                    ? $" Add the value to compare with, e.g. '… {last.Text} 100' or '… {last.Text} \"text\"'."
                    : last.Kind == ConditionTokenKind.OpenParen
                        ? " Put a condition inside the parentheses and close them."
                        : " Add the condition that should follow it, or remove it.";
                return Fail(ConditionErrorCodes.Malformed, last, $"The condition ends after '{last.Text}', where a value is missing.{hint}");
            }
            if (token.Kind == ConditionTokenKind.CloseParen)
            {
                if (_openParens.Count == 0)
                {
                    return Fail(ConditionErrorCodes.Malformed, token,
                        "Stray ')': no '(' before it is still open. Remove it, or add the matching '(' where the group should start.");
                }
                if (previous is { Kind: ConditionTokenKind.OpenParen })
                {
                    return Fail(ConditionErrorCodes.Malformed, previous.Value.Offset, token.End - previous.Value.Offset,
                        "'()' is empty. Put a condition inside the parentheses, or remove them.");
                }
            }
            var found = token.Kind == ConditionTokenKind.End ? "the end" : $"'{token.Text}'";
            return previous is { } before
                ? Fail(ConditionErrorCodes.Malformed, token, $"A value is missing between '{before.Text}' and {found}. Add the missing variable or literal.")
                : Fail(ConditionErrorCodes.Malformed, token, $"A value is missing before {found}. Start the condition with a variable or literal"
                    + (token.Kind == ConditionTokenKind.Operator ? $", e.g. 'json-params.amount {token.Text} 100'." : "."));
        }

        private Part? FailNotAnOperand(Part side, ConditionToken operatorToken, bool isLeft)
        {
            var op = operatorToken.Text;
            var negation = op == "=" ? "!=" : op == "!=" ? "=" : null;
            if (side.Kind == PartKind.Not)
            {
                var inner = ((NotNode)side.Node).Operand;
                var innerText = inner is OperandNode ? Slice(inner.Offset, inner.End) : "a";
                var alternative = negation is null ? string.Empty : $" or '{innerText} {negation} …'";
                var message = isLeft
                    ? $"'not' applies only to the value right after it, so '{Slice(side.Start, side.End)} {op} …' would compare a truth value. "
                        + $"Write 'not ({innerText} {op} …)'{alternative}."
                    : $"A 'not' cannot be compared: it applies to the value right after it. Write 'not (… {op} {innerText})'"
                        + (negation is null ? "." : $" or '… {negation} {innerText}'.");
                return isLeft
                    ? Fail(ConditionErrorCodes.Malformed, side.Start, operatorToken.End - side.Start, message)
                    : Fail(ConditionErrorCodes.Malformed, side.Start, side.End - side.Start, message);
            }
            var groupMessage = $"A parenthesised group is a condition, not a value, so it cannot be compared with '{op}'. "
                + "Remove the parentheses around a single value, or move the comparison inside them.";
            return isLeft
                ? Fail(ConditionErrorCodes.Malformed, side.Start, operatorToken.End - side.Start, groupMessage)
                : Fail(ConditionErrorCodes.Malformed, side.Start, side.End - side.Start, groupMessage);
        }

        /// <summary>A token where an operator, <c>and</c>, <c>or</c> or <c>)</c> should come (after a value or group).</summary>
        private Part? FailAfterOperand(ConditionToken token, Part after)
        {
            switch (token.Kind)
            {
                case ConditionTokenKind.BadOperator:
                    return FailBadOperator(token);
                case ConditionTokenKind.UnterminatedString:
                    return FailUnterminated(token);
                case ConditionTokenKind.Word:
                {
                    var word = token.Text;
                    var lower = word.ToLowerInvariant();
                    if (word is "any" or "all")
                    {
                        return FailAnyAll(token);
                    }
                    if (lower is "and" or "or" or "not")
                    {
                        if (word == "not")
                        {
                            return Fail(ConditionErrorCodes.UnknownOperator, token,
                                "'not' cannot follow a value: it goes before what it negates. Write 'not (a = b)', or use '!=' for 'not equal'.");
                        }
                        return Fail(ConditionErrorCodes.UnknownOperator, token,
                            $"'{word}' is not an operator: keywords are lower case, so write '{lower}'.");
                    }
                    var suggestion = word switch
                    {
                        "&&" or "&" => "and",
                        "||" or "|" => "or",
                        "eq" or "is" or "equals" => "=",
                        "ne" or "neq" => "!=",
                        "gt" => ">",
                        "lt" => "<",
                        "ge" or "gte" => ">=",
                        "le" or "lte" => "<=",
                        _ => null,
                    };
                    if (suggestion is not null)
                    {
                        return Fail(ConditionErrorCodes.UnknownOperator, token, $"'{word}' is not an operator; use '{suggestion}'.");
                    }
                    break;
                }
            }
            var found = token.Kind == ConditionTokenKind.String ? Slice(token.Offset, token.End) : token.Text;
            return Fail(ConditionErrorCodes.UnknownOperator, token,
                $"Expected an operator (= != > < >= <=), 'and', 'or' or ')' after '{Shorten(Slice(after.Start, after.End))}', but found '{Shorten(found)}'. "
                + "Quote text that contains spaces.");
        }

        private Part? FailBadOperator(ConditionToken token)
        {
            var run = token.Text;
            var suggestion = run switch
            {
                "==" or "===" => "'=' to compare",
                "=>" => "'>='",
                "=<" => "'<='",
                "<>" or "!==" or "=!" or "=!=" => "'!='",
                "!" => "'not' to negate, or '!=' for 'not equal'",
                _ => null,
            };
            var message = suggestion is null
                ? $"'{run}' is not an operator. The operators are = != > < >= <=."
                : $"'{run}' is not an operator; use {suggestion}. The operators are = != > < >= <=.";
            return Fail(ConditionErrorCodes.UnknownOperator, token, message);
        }

        private Part? FailAnyAll(ConditionToken token) =>
            Fail(ConditionErrorCodes.UnknownOperator, token, token.Text == "any"
                ? "'any' is not supported. Combine conditions with 'or': 'a = 1 or b = 2'."
                : "'all' is not supported. Combine conditions with 'and': 'a = 1 and b = 2'.");

        private Part? FailUnterminated(ConditionToken token)
        {
            var quote = _text[token.Offset];
            return Fail(ConditionErrorCodes.Malformed, token,
                $"The text starting with {quote} is never closed. Add the closing {quote}; literals have no escapes, so text containing {quote} must use the other quote.");
        }

        private Part? Fail(string code, ConditionToken token, string message) => Fail(code, token.Offset, token.Length, message);

        private Part? Fail(string code, int offset, int length, string message)
        {
            Error ??= new ConditionError(code, message, offset, length);
            return null;
        }

        private string Slice(int start, int end) => _text.Substring(start, end - start);

        private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 37) + "…";

        private static string Quote(string text) => text.Length > 0 && text[0] is '"' or '\'' ? text : "'" + text + "'";
    }
}
