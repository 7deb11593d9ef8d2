using System;
using System.Collections.Generic;
using System.Linq;
using Moclojer.Generators.Conditions;
using Moclojer.Generators.Model;
using Moclojer.Runtime;
using static Moclojer.Generators.Tests.Conditions.EmittedConditions;

namespace Moclojer.Generators.Tests.Conditions;

/// <summary>
/// The emitted C# is compiled with Roslyn and run: these tests prove that compiled conditions behave as spec
/// section C says, including every runtime condition of the conformance corpus (cases 55-81), with the variable
/// values those requests produce (T-5: JSON numbers keep their text, booleans are true/false, null is missing).
/// </summary>
public class ConditionEmitterTests
{
    public static TheoryData<string, bool, string?[]> Behaviour { get; } = new()
    {
        // 55: strings compare exactly and case-sensitively; a missing field does not match.
        { "json-params.status = \"active\"", true, new[] { "json-params.status", "active" } },
        { "json-params.status = \"active\"", false, new[] { "json-params.status", "inactive" } },
        { "json-params.status = \"active\"", false, new[] { "json-params.status", "Active" } },
        { "json-params.status = \"active\"", false, Array.Empty<string?>() },
        // 56: path parameters.
        { "path-params.project-name = \"moclojer\"", true, new[] { "path-params.project-name", "moclojer" } },
        { "path-params.project-name = \"moclojer\"", false, new[] { "path-params.project-name", "other" } },
        // 58: header parameters, with = and a relational operator.
        { "header-params.X-Env = \"prod\"", true, new[] { "header-params.X-Env", "prod" } },
        { "header-params.X-Env = \"prod\"", false, new[] { "header-params.X-Env", "staging" } },
        { "header-params.X-Env = \"prod\"", false, Array.Empty<string?>() },
        { "header-params.X-Priority >= 5", true, new[] { "header-params.X-Priority", "7" } },
        { "header-params.X-Priority >= 5", true, new[] { "header-params.X-Priority", "5" } },
        { "header-params.X-Priority >= 5", false, new[] { "header-params.X-Priority", "4" } },
        // 59: '>' compares numbers; numeric strings count; non-numeric and missing are false.
        { "json-params.amount > 100", true, new[] { "json-params.amount", "150" } },
        { "json-params.amount > 100", false, new[] { "json-params.amount", "100" } },
        { "json-params.amount > 100", false, new[] { "json-params.amount", "99.5" } },
        { "json-params.amount > 100", true, new[] { "json-params.amount", "250" } },
        { "json-params.amount > 100", true, new[] { "json-params.amount", "100.01" } },
        { "json-params.amount > 100", false, new[] { "json-params.amount", "abc" } },
        { "json-params.amount > 100", false, Array.Empty<string?>() },
        // 61: '>=' on a query parameter.
        { "query-params.score >= 50", true, new[] { "query-params.score", "50" } },
        { "query-params.score >= 50", false, new[] { "query-params.score", "49.9" } },
        { "query-params.score >= 50", true, new[] { "query-params.score", "75" } },
        { "query-params.score >= 50", false, Array.Empty<string?>() },
        // 63: typed path parameters compare by their canonical value (/levels/0010 gives "10").
        { "path-params.value >= 10", true, new[] { "path-params.value", "10" } },
        { "path-params.value >= 10", false, new[] { "path-params.value", "9" } },
        { "path-params.t < 0", true, new[] { "path-params.t", "-2.5" } },
        { "path-params.t < 0", false, new[] { "path-params.t", "0.1" } },
        // 64: '=' is numeric when both sides look numeric, else exact; true/false are literals; 1 = 1.
        { "json-params.code = \"10\"", true, new[] { "json-params.code", "10" } },
        { "json-params.code = \"10\"", true, new[] { "json-params.code", "10.0" } },
        { "json-params.code = \"10\"", true, new[] { "json-params.code", "010" } },
        { "json-params.code = \"10\"", false, new[] { "json-params.code", "ten" } },
        { "json-params.code = \"10\"", false, new[] { "json-params.code", "11" } },
        { "json-params.name = \"Ab\"", true, new[] { "json-params.name", "Ab" } },
        { "json-params.name = \"Ab\"", false, new[] { "json-params.name", "ab" } },
        { "json-params.name = \"Ab\"", false, new[] { "json-params.name", "Ab " } },
        { "1 = 1", true, Array.Empty<string?>() },
        { "json-params.active = true", true, new[] { "json-params.active", "true" } },
        { "json-params.active = true", false, new[] { "json-params.active", "false" } },
        { "json-params.version = \"1.10\"", true, new[] { "json-params.version", "1.1" } },
        { "json-params.version = \"1.10\"", false, new[] { "json-params.version", "1.10.0" } },
        // 65: missing or null counts as "" for '=', and makes relational comparisons false.
        { "json-params.status = \"\"", true, Array.Empty<string?>() },
        { "json-params.status = \"\"", true, new[] { "json-params.status", "" } },
        { "json-params.status = \"\"", true, new[] { "json-params.status", null } },
        { "json-params.status = \"\"", false, new[] { "json-params.status", "x" } },
        { "json-params.amount > 0", false, Array.Empty<string?>() },
        { "json-params.amount > 0", true, new[] { "json-params.amount", "0.5" } },
        // 66: constants.
        { "true", true, Array.Empty<string?>() },
        { "false", false, Array.Empty<string?>() },
        { "", true, Array.Empty<string?>() },
        // 67: truthiness of a variable.
        { "json-params.notify", true, new[] { "json-params.notify", "true" } },
        { "json-params.notify", true, new[] { "json-params.notify", "yes" } },
        { "json-params.notify", true, new[] { "json-params.notify", "0" } },
        { "json-params.notify", false, new[] { "json-params.notify", "false" } },
        { "json-params.notify", false, new[] { "json-params.notify", "" } },
        { "json-params.notify", false, Array.Empty<string?>() },
        // 76, 77: conditions in webhook lists.
        { "json-params.amount <= 1000", true, new[] { "json-params.amount", "250" } },
        { "json-params.amount <= 1000", false, new[] { "json-params.amount", "5000" } },
        { "json-params.amount > 1000", true, new[] { "json-params.amount", "5000" } },
        { "json-params.paid", false, new[] { "json-params.paid", "false" } },
        // 79: '!=' is the negation of '='.
        { "json-params.status != \"void\"", true, new[] { "json-params.status", "paid" } },
        { "json-params.status != \"void\"", false, new[] { "json-params.status", "void" } },
        { "json-params.status != \"void\"", true, new[] { "json-params.status", "VOID" } },
        { "json-params.status != \"void\"", true, Array.Empty<string?>() },
        { "json-params.code!=10", false, new[] { "json-params.code", "10" } },
        { "json-params.code!=10", false, new[] { "json-params.code", "10.0" } },
        { "json-params.code!=10", true, new[] { "json-params.code", "11" } },
        { "json-params.code!=10", true, new[] { "json-params.code", "ten" } },
        { "json-params.code!=10", true, Array.Empty<string?>() },
        // 80: and/or, precedence and parentheses.
        { "json-params.amount >= 100 and json-params.currency = \"EUR\"", true, new[] { "json-params.amount", "150", "json-params.currency", "EUR" } },
        { "json-params.amount >= 100 and json-params.currency = \"EUR\"", false, new[] { "json-params.amount", "150", "json-params.currency", "USD" } },
        { "json-params.amount >= 100 and json-params.currency = \"EUR\"", false, new[] { "json-params.amount", "50", "json-params.currency", "EUR" } },
        { "header-params.X-Env = \"prod\" or query-params.force = \"1\"", true, new[] { "header-params.X-Env", "prod" } },
        { "header-params.X-Env = \"prod\" or query-params.force = \"1\"", true, new[] { "query-params.force", "1" } },
        { "header-params.X-Env = \"prod\" or query-params.force = \"1\"", false, new[] { "query-params.force", "0", "header-params.X-Env", "staging" } },
        { "json-params.a = 1 or json-params.b = 1 and json-params.c = 1", true, new[] { "json-params.a", "1", "json-params.b", "0", "json-params.c", "0" } },
        { "json-params.a = 1 or json-params.b = 1 and json-params.c = 1", false, new[] { "json-params.a", "0", "json-params.b", "1", "json-params.c", "0" } },
        { "json-params.a = 1 or json-params.b = 1 and json-params.c = 1", true, new[] { "json-params.a", "0", "json-params.b", "1", "json-params.c", "1" } },
        { "(json-params.a = 1 or json-params.b = 1) and json-params.c = 1", false, new[] { "json-params.a", "1", "json-params.b", "0", "json-params.c", "0" } },
        { "(json-params.a = 1 or json-params.b = 1) and json-params.c = 1", true, new[] { "json-params.a", "0", "json-params.b", "1", "json-params.c", "1" } },
        // 81: not.
        { "not json-params.archived", false, new[] { "json-params.archived", "true" } },
        { "not json-params.archived", true, new[] { "json-params.archived", "false" } },
        { "not json-params.archived", true, Array.Empty<string?>() },
        { "not (json-params.status = \"void\" or json-params.status = \"refunded\")", true, new[] { "json-params.status", "paid" } },
        { "not (json-params.status = \"void\" or json-params.status = \"refunded\")", false, new[] { "json-params.status", "void" } },
        { "not (json-params.status = \"void\" or json-params.status = \"refunded\")", false, new[] { "json-params.status", "refunded" } },
        { "not json-params.a and json-params.b", true, new[] { "json-params.b", "yes" } },
        { "not json-params.a and json-params.b", false, new[] { "json-params.a", "yes", "json-params.b", "yes" } },
        { "not json-params.a and json-params.b", false, new[] { "json-params.a", "yes", "json-params.b", "false" } },
        // More of C-4 .. C-9.
        { "json-params.n = 10.0", true, new[] { "json-params.n", "10" } },
        { "json-params.n = 7", true, new[] { "json-params.n", "007" } },
        { "json-params.n = \"1.1\"", true, new[] { "json-params.n", "1.10" } },
        { "json-params.n = 1e3", true, new[] { "json-params.n", "1000" } },
        { "json-params.n < -1", true, new[] { "json-params.n", "-1.5" } },
        { "json-params.n <= 0", false, new[] { "json-params.n", "" } },
        { "json-params.n != \"\"", false, Array.Empty<string?>() },
        { "json-params.a = json-params.b", true, Array.Empty<string?>() },
        { "json-params.a = json-params.b", true, new[] { "json-params.a", "5", "json-params.b", "5.00" } },
        { "json-params.a < json-params.b", true, new[] { "json-params.a", "9", "json-params.b", "10" } },
        { "json-params.a < json-params.b", false, new[] { "json-params.a", "9", "json-params.b", "x" } },
        { "not json-params.a", true, new[] { "json-params.a", "" } },
        { "\"0\"", true, Array.Empty<string?>() },
        { "0", true, Array.Empty<string?>() },
        { "''", false, Array.Empty<string?>() },
        { "'false'", false, Array.Empty<string?>() },
        { "not false", true, Array.Empty<string?>() },
        { "1 = 1.0 and 2 > 1 and -1 < 0 and .5 = 0.50", true, Array.Empty<string?>() },
        { "1 = 2 or \"a\" = 'A'", false, Array.Empty<string?>() },
        { "false and json-params.a", false, new[] { "json-params.a", "yes" } },
        { "true or json-params.a", true, Array.Empty<string?>() },
        { "true and json-params.a", true, new[] { "json-params.a", "yes" } },
        { "false or json-params.a", false, Array.Empty<string?>() },
        { "header-params.X = 'say \"hi\"'", true, new[] { "header-params.X", "say \"hi\"" } },
        { "json-params.p = \"C:\\dir\\\"", true, new[] { "json-params.p", "C:\\dir\\" } },
        { "json-params.t = \"a\nb\r\tc\u0000\"", true, new[] { "json-params.t", "a\nb\r\tc\u0000" } },
        { "json-params.t = \"Júlia \u2028 \u0085 😀 \uFEFF\"", true, new[] { "json-params.t", "Júlia \u2028 \u0085 😀 \uFEFF" } },
        { "json-params.t = \"{0} }} \\u0041\"", true, new[] { "json-params.t", "{0} }} \\u0041" } },
    };

    static ConditionEmitterTests()
    {
        Prepare(Behaviour.Select(row => (string)row[0]));
    }

    [Theory]
    [MemberData(nameof(Behaviour))]
    public void Compiled_conditions_behave_as_specified(string condition, bool expected, string?[] nameValuePairs)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < nameValuePairs.Length; i += 2)
        {
            variables[nameValuePairs[i]!] = nameValuePairs[i + 1];
        }
        Assert.Equal(expected, Evaluate(condition, variables));
    }

    [Theory]
    [InlineData("", "true")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("\"true\"", "true")]
    [InlineData("0", "true")]
    [InlineData("1 = 1", "true")]
    [InlineData("1 = 1.0", "true")]
    [InlineData("'a' != 'a'", "false")]
    [InlineData("2 > 10", "false")]
    [InlineData("not true", "false")]
    [InlineData("false and json-params.a", "false")]
    [InlineData("json-params.a or true", "true")]
    [InlineData("json-params.a", "global::Moclojer.Runtime.MockConditions.Truthy(V(json-params.a))")]
    [InlineData("true and json-params.a", "global::Moclojer.Runtime.MockConditions.Truthy(V(json-params.a))")]
    [InlineData("json-params.a = 'x'", "global::Moclojer.Runtime.MockConditions.Equal(V(json-params.a), \"x\")")]
    [InlineData("1 < json-params.a", "global::Moclojer.Runtime.MockConditions.Less(\"1\", V(json-params.a))")]
    [InlineData("json-params.a != true", "global::Moclojer.Runtime.MockConditions.NotEqual(V(json-params.a), \"true\")")]
    [InlineData("query-params.a > 1", "global::Moclojer.Runtime.MockConditions.Greater(V(query-params.a), \"1\")")]
    [InlineData("query-params.a >= 1", "global::Moclojer.Runtime.MockConditions.GreaterOrEqual(V(query-params.a), \"1\")")]
    [InlineData("query-params.a <= 1", "global::Moclojer.Runtime.MockConditions.LessOrEqual(V(query-params.a), \"1\")")]
    [InlineData("not json-params.a", "!global::Moclojer.Runtime.MockConditions.Truthy(V(json-params.a))")]
    [InlineData("json-params.a and (false or json-params.b) and 1 = 1",
        "(global::Moclojer.Runtime.MockConditions.Truthy(V(json-params.a)) && global::Moclojer.Runtime.MockConditions.Truthy(V(json-params.b)))")]
    [InlineData("not (json-params.a or json-params.b)",
        "!(global::Moclojer.Runtime.MockConditions.Truthy(V(json-params.a)) || global::Moclojer.Runtime.MockConditions.Truthy(V(json-params.b)))")]
    public void Emits_runtime_calls_and_folds_constants(string condition, string expected)
    {
        var root = ConditionParser.Parse(condition).Root;
        Assert.Equal(expected, ConditionEmitter.Emit(root, v => $"V({v})"));
    }

    [Theory]
    [InlineData("", "\"\"")]
    [InlineData("plain text 123", "\"plain text 123\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("line\nbreak\r\t", "\"line\\nbreak\\r\\t\"")]
    [InlineData("\u0000\u001F\u007F", "\"\\u0000\\u001F\\u007F\"")]
    [InlineData("é\u2028", "\"\\u00E9\\u2028\"")]
    [InlineData("{{x}}", "\"{{x}}\"")]
    public void String_literals_are_escaped(string value, string expected)
    {
        Assert.Equal(expected, ConditionEmitter.StringLiteral(value));
    }

    [Fact]
    public void Random_conditions_compile_and_agree_with_a_direct_interpretation()
    {
        var random = new Random(77);
        var conditions = new List<string>();
        while (conditions.Count < 400)
        {
            var text = RandomCondition(random, 0);
            if (!ConditionParser.Parse(text).HasErrors)
            {
                conditions.Add(text);
            }
        }
        var roots = conditions.Select(c => ConditionParser.Parse(c).Root!).ToList();
        var compiled = CompileBatch(conditions.Select(EmitCondition).ToList());
        string?[] values = { null, "", "0", "1", "1.0", "-2", "007", "x", "true", "false", "abc" };
        for (var i = 0; i < conditions.Count; i++)
        {
            for (var round = 0; round < 25; round++)
            {
                var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var name in VariableNames)
                {
                    var value = values[random.Next(values.Length)];
                    if (value is not null || random.Next(2) == 0)
                    {
                        variables[name] = value;
                    }
                }
                var expected = Interpret(roots[i], variables);
                Assert.True(expected == compiled[i](variables), $"'{conditions[i]}' with {string.Join(", ", variables.Select(p => $"{p.Key}={p.Value ?? "<null>"}"))}");
            }
            if (ConditionAnalysis.Constant(roots[i]) is { } constant)
            {
                Assert.Equal(constant ? "true" : "false", EmitCondition(conditions[i]));
            }
        }
    }

    private static readonly string[] VariableNames = { "json-params.a", "json-params.b.0", "query-params.q", "header-params.X-H", "path-params.p" };

    private static string RandomCondition(Random random, int depth)
    {
        var pick = depth > 3 ? random.Next(3) : random.Next(7);
        switch (pick)
        {
            case 0:
                return RandomOperand(random, numeric: false);
            case 1:
            case 2:
            {
                var op = new[] { "=", "!=", ">", "<", ">=", "<=" }[random.Next(6)];
                var numeric = op.Length > 0 && op[0] is '>' or '<';
                var space = random.Next(2) == 0 ? " " : string.Empty;
                return RandomOperand(random, numeric) + space + op + space + RandomOperand(random, numeric);
            }
            case 3:
                return "not " + (random.Next(2) == 0 ? RandomOperand(random, false) : "(" + RandomCondition(random, depth + 1) + ")");
            case 4:
                return RandomCondition(random, depth + 1) + " and " + RandomCondition(random, depth + 1);
            case 5:
                return RandomCondition(random, depth + 1) + " or " + RandomCondition(random, depth + 1);
            default:
                return "(" + RandomCondition(random, depth + 1) + ")";
        }
    }

    private static string RandomOperand(Random random, bool numeric)
    {
        string[] literals = numeric
            ? new[] { "1", "0", "-2", "1.0", "007", "\"1\"", "'0.5'", "1e0" }
            : new[] { "1", "0", "-2", "1.0", "\"1\"", "\"x\"", "''", "true", "false", "'false'", "\"abc\"" };
        return random.Next(2) == 0 ? VariableNames[random.Next(VariableNames.Length)] : literals[random.Next(literals.Length)];
    }

    /// <summary>Evaluates a tree directly with the runtime helpers, without folding: the reference for the emitter.</summary>
    private static bool Interpret(ConditionNode node, Dictionary<string, string?> variables)
    {
        return node switch
        {
            OperandNode operand => MockConditions.Truthy(Value(operand)),
            ComparisonNode c => c.Operator switch
            {
                ComparisonOperator.Equal => MockConditions.Equal(Value(c.Left), Value(c.Right)),
                ComparisonOperator.NotEqual => MockConditions.NotEqual(Value(c.Left), Value(c.Right)),
                ComparisonOperator.Greater => MockConditions.Greater(Value(c.Left), Value(c.Right)),
                ComparisonOperator.Less => MockConditions.Less(Value(c.Left), Value(c.Right)),
                ComparisonOperator.GreaterOrEqual => MockConditions.GreaterOrEqual(Value(c.Left), Value(c.Right)),
                _ => MockConditions.LessOrEqual(Value(c.Left), Value(c.Right)),
            },
            NotNode not => !Interpret(not.Operand, variables),
            AndNode and => and.Operands.All(o => Interpret(o, variables)),
            OrNode or => or.Operands.Any(o => Interpret(o, variables)),
            _ => throw new InvalidOperationException(),
        };

        string? Value(OperandNode operand) => operand switch
        {
            LiteralOperand literal => literal.Value,
            VariableOperand variable => variables.TryGetValue(variable.Variable.ToString(), out var value) ? value : null,
            _ => throw new InvalidOperationException(),
        };
    }
}
