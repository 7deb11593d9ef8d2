using System;
using System.Linq;
using Moclojer.Generators.Conditions;
using Moclojer.Generators.Model;
using Moclojer.Generators.Shared;

namespace Moclojer.Generators.Tests.Conditions;

public class ConditionParserTests
{
    private static ConditionNode ParseOk(string text)
    {
        var result = ConditionParser.Parse(text);
        Assert.True(result.Errors.IsEmpty, $"'{text}': {string.Join("; ", result.Errors.Select(e => $"{e.Code} @{e.Offset}: {e.Message}"))}");
        Assert.NotNull(result.Root);
        return result.Root!;
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n ")]
    [InlineData(null)]
    public void Empty_condition_means_always(string? text)
    {
        var result = ConditionParser.Parse(text);
        Assert.Null(result.Root);
        Assert.True(result.Errors.IsEmpty);
        Assert.Equal("true", ConditionEmitter.Emit(result.Root, _ => "v"));
    }

    [Theory]
    [InlineData("json-params.a = 1", "(json-params.a = 1)")]
    [InlineData("json-params.a != 1", "(json-params.a != 1)")]
    [InlineData("json-params.a > 1", "(json-params.a > 1)")]
    [InlineData("json-params.a < 1", "(json-params.a < 1)")]
    [InlineData("json-params.a >= 1", "(json-params.a >= 1)")]
    [InlineData("json-params.a <= 1", "(json-params.a <= 1)")]
    [InlineData("json-params.amount>100", "(json-params.amount > 100)")]
    [InlineData("json-params.a!=1", "(json-params.a != 1)")]
    [InlineData("json-params.a>=-1", "(json-params.a >= -1)")]
    [InlineData("json-params.a<=\"5\"", "(json-params.a <= \"5\")")]
    [InlineData("json-params.a=-1.5e3", "(json-params.a = -1.5e3)")]
    [InlineData("json-params.a='x'", "(json-params.a = \"x\")")]
    [InlineData("json-params.a = .5", "(json-params.a = .5)")]
    [InlineData("\tjson-params.a\u00A0=\n1  ", "(json-params.a = 1)")]
    [InlineData("1 = 1", "(1 = 1)")]
    [InlineData("json-params.active = true", "(json-params.active = true)")]
    [InlineData("false != json-params.active", "(false != json-params.active)")]
    public void Parses_every_operator_with_or_without_spaces(string text, string expected)
    {
        Assert.Equal(expected, ParseOk(text).ToString());
    }

    [Theory]
    [InlineData("not json-params.a and json-params.b", "((not json-params.a) and json-params.b)")]
    [InlineData("json-params.a or json-params.b and json-params.c", "(json-params.a or (json-params.b and json-params.c))")]
    [InlineData("json-params.a and json-params.b or json-params.c", "((json-params.a and json-params.b) or json-params.c)")]
    [InlineData("(json-params.a or json-params.b) and json-params.c", "((json-params.a or json-params.b) and json-params.c)")]
    [InlineData("json-params.a = 1 or json-params.b = 1 and json-params.c = 1",
        "((json-params.a = 1) or ((json-params.b = 1) and (json-params.c = 1)))")]
    [InlineData("(json-params.a = 1 or json-params.b = 1) and json-params.c = 1",
        "(((json-params.a = 1) or (json-params.b = 1)) and (json-params.c = 1))")]
    [InlineData("not (json-params.status = \"void\" or json-params.status = \"refunded\")",
        "(not ((json-params.status = \"void\") or (json-params.status = \"refunded\")))")]
    [InlineData("not not json-params.a", "(not (not json-params.a))")]
    [InlineData("not(json-params.a)", "(not json-params.a)")]
    [InlineData("json-params.a and json-params.b and json-params.c", "(json-params.a and json-params.b and json-params.c)")]
    [InlineData("json-params.a or json-params.b or json-params.c", "(json-params.a or json-params.b or json-params.c)")]
    [InlineData("((json-params.a))", "json-params.a")]
    [InlineData("(json-params.a = 1)and(json-params.b = 2)", "((json-params.a = 1) and (json-params.b = 2))")]
    [InlineData("not json-params.a = 1 or json-params.b", "")]
    public void Precedence_is_not_then_comparison_then_and_then_or(string text, string expected)
    {
        if (expected.Length == 0)
        {
            // 'not a = b' is rejected even inside a larger condition.
            Assert.Equal(ConditionErrorCodes.Malformed, ConditionParser.Parse(text).Errors[0].Code);
            return;
        }
        Assert.Equal(expected, ParseOk(text).ToString());
    }

    [Fact]
    public void Operands_keep_their_kind_and_value()
    {
        var node = (ComparisonNode)ParseOk("json-params.items.0.price >= \"10\"");
        var variable = Assert.IsType<VariableOperand>(node.Left);
        Assert.Equal(VariableSource.JsonParams, variable.Variable.Source);
        Assert.Equal(new[] { "items", "0", "price" }, variable.Variable.Path.ToArray());
        var literal = Assert.IsType<LiteralOperand>(node.Right);
        Assert.Equal(new LiteralOperand("10", LiteralKind.String, 29, 4), literal);
        Assert.Equal(ComparisonOperator.GreaterOrEqual, node.Operator);
        Assert.Equal(26, node.OperatorOffset);

        Assert.Equal(new LiteralOperand("true", LiteralKind.Boolean, 0, 4), ParseOk("true"));
        Assert.Equal(new LiteralOperand("-0.5", LiteralKind.Number, 1, 4), ParseOk(" -0.5"));
        Assert.Equal(new LiteralOperand("it's", LiteralKind.String, 0, 6), ParseOk("\"it's\""));
        Assert.Equal(new LiteralOperand("say \"hi\"", LiteralKind.String, 0, 10), ParseOk("'say \"hi\"'"));
        Assert.Equal(new LiteralOperand("", LiteralKind.String, 0, 2), ParseOk("''"));
    }

    [Theory]
    [InlineData("path-params.project-name", "PathParams", "project-name")]
    [InlineData("query-params.score", "QueryParams", "score")]
    [InlineData("header-params.X-Api-Key", "HeaderParams", "X-Api-Key")]
    [InlineData("json-params", "JsonParams", "")]
    [InlineData("json-params.and", "JsonParams", "and")]
    [InlineData("json-params.true", "JsonParams", "true")]
    public void Reads_all_four_variable_roots(string text, string source, string name)
    {
        var variable = Assert.IsType<VariableOperand>(ParseOk(text));
        Assert.Equal(source, variable.Variable.Source.ToString());
        Assert.Equal(name, variable.Variable.Name);
        Assert.Equal(text, variable.Variable.ToString());
    }

    [Fact]
    public void Nodes_carry_their_spans()
    {
        const string text = "not json-params.a and (json-params.b = 'x' or json-params.c)";
        var and = Assert.IsType<AndNode>(ParseOk(text));
        Assert.Equal((0, text.Length), (and.Offset, and.Length));
        var not = Assert.IsType<NotNode>(and.Operands[0]);
        Assert.Equal((0, 17), (not.Offset, not.Length));
        var or = Assert.IsType<OrNode>(and.Operands[1]);
        Assert.Equal((23, 36), (or.Offset, or.Length));
        var comparison = Assert.IsType<ComparisonNode>(or.Operands[0]);
        Assert.Equal((23, 19), (comparison.Offset, comparison.Length));
        Assert.Equal(37, comparison.OperatorOffset);
    }

    [Fact]
    public void Equal_text_gives_equal_trees()
    {
        var first = ConditionParser.Parse("json-params.a = 1 and not (query-params.b or header-params.c > 2)");
        var second = ConditionParser.Parse("json-params.a = 1 and not (query-params.b or header-params.c > 2)");
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, ConditionParser.Parse("json-params.a = 1 and not (query-params.b or header-params.c > 3)"));
    }

    [Theory]
    // if-unknown-operator: runs of = ! < > that are not operators.
    [InlineData("json-params.amount => 100", "if-unknown-operator", "=>", "'>='")]
    [InlineData("json-params.a == 1", "if-unknown-operator", "==", "use '='")]
    [InlineData("json-params.a =< 1", "if-unknown-operator", "=<", "'<='")]
    [InlineData("json-params.a <> 1", "if-unknown-operator", "<>", "'!='")]
    [InlineData("json-params.a !== 1", "if-unknown-operator", "!==", "'!='")]
    [InlineData("json-params.a >> 1", "if-unknown-operator", ">>", "= != > < >= <=")]
    [InlineData("! json-params.a", "if-unknown-operator", "!", "'not'")]
    [InlineData("!json-params.a", "if-unknown-operator", "!", "'not'")]
    [InlineData("json-params.a ! = 1", "if-unknown-operator", "!", "'not'")]
    // if-unknown-operator: a token where an operator, 'and', 'or' or ')' should come.
    [InlineData("json-params.amount > 100 AND json-params.currency = \"EUR\"", "if-unknown-operator", "AND", "'and'")]
    [InlineData("json-params.a Or json-params.b", "if-unknown-operator", "Or", "'or'")]
    [InlineData("json-params.a json-params.b", "if-unknown-operator", "json-params.b", "Expected an operator")]
    [InlineData("json-params.a 'x'", "if-unknown-operator", "'x'", "Expected an operator")]
    [InlineData("json-params.a = 'x' 'y'", "if-unknown-operator", "'y'", "Expected an operator")]
    [InlineData("json-params.a (json-params.b)", "if-unknown-operator", "(", "Expected an operator")]
    [InlineData("(json-params.a json-params.b)", "if-unknown-operator", "json-params.b", "Expected an operator")]
    [InlineData("json-params.a = 1 && json-params.b = 2", "if-unknown-operator", "&&", "'and'")]
    [InlineData("json-params.a eq 1", "if-unknown-operator", "eq", "'='")]
    [InlineData("json-params.a = 1 not", "if-unknown-operator", "not", "not (a = b)")]
    [InlineData("any json-params.a", "if-unknown-operator", "any", "'or'")]
    [InlineData("all json-params.a", "if-unknown-operator", "all", "'and'")]
    [InlineData("any(json-params.a = 1, json-params.b = 2)", "if-unknown-operator", "any", "'or'")]
    [InlineData("json-params.a = 1 all", "if-unknown-operator", "all", "'and'")]
    [InlineData("json-params.a = any", "if-unknown-operator", "any", "'or'")]
    // if-malformed: missing operands.
    [InlineData("json-params.status =", "if-malformed", "=", "ends after '='")]
    [InlineData("json-params.amount > 100 and", "if-malformed", "and", "ends after 'and'")]
    [InlineData("json-params.a or", "if-malformed", "or", "ends after 'or'")]
    [InlineData("not", "if-malformed", "not", "ends after 'not'")]
    [InlineData("= 1", "if-malformed", "=", "missing before '='")]
    [InlineData("and json-params.a", "if-malformed", "and", "missing before 'and'")]
    [InlineData("json-params.a = = 1", "if-malformed", "= 1", "between '=' and '='")]
    [InlineData("json-params.a or or json-params.b", "if-malformed", "or json-params.b", "between 'or' and 'or'")]
    [InlineData("json-params.a and )", "if-malformed", ")", "Stray ')'")]
    [InlineData("(json-params.a and )", "if-malformed", ")", "between 'and' and ')'")]
    // if-malformed: parentheses and quotes.
    [InlineData("(json-params.a = 1", "if-malformed", "(", "never closed")]
    [InlineData("(json-params.a = 1 or (json-params.b", "if-malformed", "(json-params.a", "never closed")]
    [InlineData("(", "if-malformed", "(", "ends after '('")]
    [InlineData("()", "if-malformed", "()", "empty")]
    [InlineData("json-params.a = 1)", "if-malformed", ")", "Stray ')'")]
    [InlineData("(json-params.a))", "if-malformed", ")", "Stray ')'")]
    [InlineData(")", "if-malformed", ")", "Stray ')'")]
    [InlineData("json-params.a = \"x", "if-malformed", "\"x", "never closed")]
    [InlineData("json-params.a = 'x", "if-malformed", "'x", "never closed")]
    [InlineData("json-params.a 'x", "if-malformed", "'x", "never closed")]
    // if-malformed: chained comparisons and comparisons of something that is not an operand (C-10).
    [InlineData("json-params.a < json-params.b < json-params.c", "if-malformed", "< json-params.c", "and")]
    [InlineData("1 = 1 = 1", "if-malformed", "= 1", "chained")]
    [InlineData("not json-params.status = \"void\"", "if-malformed", "not", "not (json-params.status = …)")]
    [InlineData("not json-params.a > 1", "if-malformed", "not", "not (json-params.a > …)")]
    [InlineData("(json-params.a) = \"b\"", "if-malformed", "(", "parenthesised group")]
    [InlineData("(json-params.a or json-params.b) = 1", "if-malformed", "(", "parenthesised group")]
    [InlineData("json-params.a = not json-params.b", "if-malformed", "not", "cannot be compared")]
    [InlineData("json-params.a = (json-params.b)", "if-malformed", "(json-params.b)", "parenthesised group")]
    // if-non-numeric-operand (C-5).
    [InlineData("json-params.amount > \"lots\"", "if-non-numeric-operand", "\"lots\"", "compares numbers only")]
    [InlineData("json-params.a > true", "if-non-numeric-operand", "true", "not a number")]
    [InlineData("false <= json-params.a", "if-non-numeric-operand", "false", "not a number")]
    [InlineData("json-params.a < ''", "if-non-numeric-operand", "''", "not a number")]
    [InlineData("json-params.a >= '1.2.3'", "if-non-numeric-operand", "'1.2.3'", "not a number")]
    // unknown-variable-source (C-2, T-2).
    [InlineData("json-params.status = active", "unknown-variable-source", "active", "quote it: \"active\"")]
    [InlineData("active", "unknown-variable-source", "active", "quote it")]
    [InlineData("body-params.status = \"active\"", "unknown-variable-source", "body-params.status", "'body-params' is not a variable source")]
    [InlineData("request.x = 1", "unknown-variable-source", "request.x", "'request' is not a variable source")]
    [InlineData("headers.x = 1", "unknown-variable-source", "headers.x", "header-params")]
    [InlineData("now = \"x\"", "unknown-variable-source", "now", "cannot be used in a condition")]
    [InlineData("json-params.id = uuid", "unknown-variable-source", "uuid", "cannot be used in a condition")]
    [InlineData("path-params = 1", "unknown-variable-source", "path-params", "needs a name")]
    [InlineData("query-params. = 1", "unknown-variable-source", "query-params.", "needs a name")]
    [InlineData("json-params.a..b", "unknown-variable-source", "json-params.a..b", "empty part")]
    [InlineData("json-params.a = 1.", "unknown-variable-source", "1.", "not a number")]
    [InlineData("json-params.a = +1", "unknown-variable-source", "+1", "not a number")]
    [InlineData("NOT json-params.a", "unknown-variable-source", "NOT", "write 'not'")]
    [InlineData("json-params.a = TRUE", "unknown-variable-source", "TRUE", "write 'true'")]
    [InlineData("{{json-params.a}} = 1", "unknown-variable-source", "{{json-params.a}}", "without them")]
    public void Reports_the_first_error_with_its_code_offset_and_advice(string text, string code, string at, string advice)
    {
        var result = ConditionParser.Parse(text);
        Assert.Null(result.Root);
        var error = Assert.Single(result.Errors);
        Assert.Equal(code, error.Code);
        Assert.Equal(ExpectedOffset(text, at), error.Offset);
        Assert.Contains(advice, error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Length, 1, text.Length - error.Offset);
    }

    /// <summary>Where <paramref name="at"/> starts: its last occurrence when it appears twice as a whole token run.</summary>
    private static int ExpectedOffset(string text, string at) => at switch
    {
        // Cases where the offending piece is not the first occurrence of its text.
        "= 1" or "< json-params.c" or "or json-params.b" => text.LastIndexOf(at, StringComparison.Ordinal),
        ")" => text.LastIndexOf(')'),
        "not" when !text.StartsWith("not", StringComparison.Ordinal) => text.LastIndexOf("not", StringComparison.Ordinal),
        _ => text.IndexOf(at, StringComparison.Ordinal),
    };

    [Theory]
    [InlineData("json-params.amount => 100", 19, 2)]
    [InlineData("json-params.status =", 19, 1)]
    [InlineData("json-params.amount > 100 and", 25, 3)]
    [InlineData("json-params.amount > 100 AND json-params.currency = \"EUR\"", 25, 3)]
    [InlineData("not json-params.status = \"void\"", 0, 24)]
    [InlineData("(json-params.a) = \"b\"", 0, 17)]
    [InlineData("json-params.a = \"x", 16, 2)]
    [InlineData("json-params.amount > \"lots\"", 21, 6)]
    [InlineData("json-params.status = active", 21, 6)]
    [InlineData("body-params.status = \"active\"", 0, 18)]
    [InlineData("(json-params.a = 1", 0, 1)]
    [InlineData("()", 0, 2)]
    public void Error_offsets_and_lengths_are_exact(string text, int offset, int length)
    {
        var error = Assert.Single(ConditionParser.Parse(text).Errors);
        Assert.Equal((offset, length), (error.Offset, error.Length));
    }

    [Theory]
    [InlineData("json-params.a == 1 and json-params.b = \"x", "if-unknown-operator", 14)]
    [InlineData("json-params.a = \"x and json-params.b == 1", "if-malformed", 16)]
    [InlineData("json-params.a = active and json-params.b > 'x'", "unknown-variable-source", 16)]
    [InlineData("json-params.a > 'x' and json-params.b = active", "if-non-numeric-operand", 16)]
    [InlineData("not json-params.a = 1 and (", "if-malformed", 0)]
    public void Only_the_leftmost_error_is_reported(string text, string code, int offset)
    {
        var error = Assert.Single(ConditionParser.Parse(text).Errors);
        Assert.Equal((code, offset), (error.Code, error.Offset));
    }

    [Fact]
    public void Deep_nesting_is_an_error_not_a_crash()
    {
        var deep = new string('(', 5000) + "json-params.a" + new string(')', 5000);
        Assert.Equal(ConditionErrorCodes.Malformed, Assert.Single(ConditionParser.Parse(deep).Errors).Code);
        var nots = string.Concat(Enumerable.Repeat("not ", 5000)) + "json-params.a";
        Assert.Equal(ConditionErrorCodes.Malformed, Assert.Single(ConditionParser.Parse(nots).Errors).Code);
        var fine = new string('(', 30) + "json-params.a" + new string(')', 30);
        Assert.IsType<VariableOperand>(ParseOk(fine));
    }

    [Fact]
    public void Long_chains_do_not_recurse()
    {
        var chain = string.Join(" and ", Enumerable.Range(0, 20000).Select(i => $"json-params.a{i} = {i}"));
        var and = Assert.IsType<AndNode>(ParseOk(chain));
        Assert.Equal(20000, and.Operands.Count);
    }

    [Fact]
    public void Fuzzed_input_never_throws_and_always_gives_a_well_formed_answer()
    {
        string[] pieces =
        {
            "json-params.a", "json-params.b.0", "query-params.q", "header-params.X-Y", "path-params.id", "json-params",
            "and", "or", "not", "AND", "any", "all", "true", "false", "now", "uuid", "active", "request.x", "path-params",
            "1", "-2.5", "1e3", ".5", "1.", "007", "\"x\"", "'y'", "\"", "'", "(", ")", "=", "!=", ">", "<", ">=", "<=",
            "!", "==", "=>", "<>", " ", " ", " ", "\t", "-", ".", "é", "\u2028", "{{", "}}", ",", "x",
        };
        var random = new Random(12345);
        string[] codes = { ConditionErrorCodes.UnknownOperator, ConditionErrorCodes.Malformed, ConditionErrorCodes.NonNumericOperand, ConditionErrorCodes.UnknownVariableSource };
        var parsed = 0;
        for (var iteration = 0; iteration < 30000; iteration++)
        {
            string text;
            if (iteration % 3 == 0)
            {
                // Raw random characters.
                const string alphabet = "ab.-=!<>()'\" 019eE";
                var chars = new char[random.Next(0, 20)];
                for (var i = 0; i < chars.Length; i++)
                {
                    chars[i] = random.Next(4) == 0 ? (char)random.Next(0, 0x3000) : alphabet[random.Next(alphabet.Length)];
                }
                text = new string(chars);
            }
            else
            {
                text = string.Join(random.Next(2) == 0 ? " " : string.Empty, Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            }

            var result = ConditionParser.Parse(text);
            if (result.Root is null)
            {
                if (result.Errors.IsEmpty)
                {
                    Assert.True(string.IsNullOrWhiteSpace(text), text);
                    continue;
                }
                var error = Assert.Single(result.Errors);
                Assert.Contains(error.Code, codes);
                Assert.False(string.IsNullOrWhiteSpace(error.Message));
                Assert.DoesNotContain("internal error", error.Message, StringComparison.Ordinal);
                Assert.InRange(error.Offset, 0, text.Length);
                Assert.InRange(error.Length, 0, text.Length - error.Offset);
                continue;
            }

            parsed++;
            Assert.True(result.Errors.IsEmpty);
            // The printed form parses back to the same printed form.
            var printed = result.Root.ToString()!;
            var again = ConditionParser.Parse(printed);
            Assert.True(again.Errors.IsEmpty, $"'{text}' printed as '{printed}': {string.Join("; ", again.Errors.Select(e => e.Message))}");
            Assert.Equal(printed, again.Root!.ToString());
            // Everything else accepts any tree the parser produces.
            _ = ConditionEmitter.Emit(result.Root, v => "v");
            _ = ConditionAnalysis.GetVariableOperands(result.Root).ToList();
            _ = ConditionAnalysis.FindTypeMismatches(result.Root, _ => MockParamType.Int);
        }
        Assert.True(parsed > 500, $"only {parsed} fuzzed conditions parsed");
    }
}
