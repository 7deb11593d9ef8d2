using System;
using System.Collections.Generic;
using System.Linq;
using Moclojer.Generators.Conditions;
using Moclojer.Generators.Model;
using Moclojer.Generators.Parsing;
using Moclojer.Generators.Shared;

namespace Moclojer.Generators.Tests.Conditions;

public class ConditionAnalysisTests
{
    /// <summary>A parameter's type as the path parser reads it (<c>boolean</c> is bool); null: not declared.</summary>
    private static MockParamType? Declared(string? typeName) =>
        typeName is null ? null : PathParser.TryParseType(typeName, out var type) ? type : MockParamType.String;

    private static ConditionNode? Root(string text)
    {
        var result = ConditionParser.Parse(text);
        Assert.False(result.HasErrors, text);
        return result.Root;
    }

    [Fact]
    public void Lists_the_variables_a_condition_reads()
    {
        const string text = "path-params.id = 1 and (json-params.a.0 > 2 or not header-params.X-Env) or query-params.q = path-params.id";
        var root = Root(text);
        Assert.Equal(
            new[] { "path-params.id", "json-params.a.0", "header-params.X-Env", "query-params.q" },
            ConditionAnalysis.GetVariableOperands(root).Select(o => o.Variable.ToString()).Distinct());
        var operands = ConditionAnalysis.GetVariableOperands(root).ToList();
        Assert.Equal(5, operands.Count);
        Assert.All(operands, o => Assert.Equal(o.Variable.ToString(), text.Substring(o.Offset, o.Length)));
        Assert.Equal(text.LastIndexOf("path-params.id", StringComparison.Ordinal), operands[4].Offset);
        Assert.True(ConditionAnalysis.ReadsJsonBody(root));
    }

    [Theory]
    [InlineData("query-params.a = 1", false)]
    [InlineData("json-params", true)]
    [InlineData("true", false)]
    [InlineData("", false)]
    public void Knows_whether_the_body_is_read(string text, bool expected)
    {
        Assert.Equal(expected, ConditionAnalysis.ReadsJsonBody(Root(text)));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("\"false\"", false)]
    [InlineData("''", false)]
    [InlineData("0", true)]
    [InlineData("1 = 1", true)]
    [InlineData("\"10\" = 10.0", true)]
    [InlineData("'a' = 'A'", false)]
    [InlineData("3 >= 2", true)]
    [InlineData("not (1 = 1)", false)]
    [InlineData("json-params.a and false", false)]
    [InlineData("json-params.a or true", true)]
    [InlineData("json-params.a and true", null)]
    [InlineData("json-params.a = json-params.a", null)]
    [InlineData("not json-params.a", null)]
    public void Folds_constant_conditions(string text, bool? expected)
    {
        // A condition that does not depend on the request is emitted as a constant, so the webhook is always or never sent.
        var emitted = ConditionEmitter.Emit(Root(text), _ => "v");
        bool? folded = emitted switch { "true" => true, "false" => false, _ => null };
        Assert.Equal(expected, folded);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("-1", true)]
    [InlineData("0", true)]
    [InlineData("-0.0", true)]
    [InlineData("1.0", true)]
    [InlineData("1e3", true)]
    [InlineData("1500e-2", true)]
    [InlineData("9223372036854775807", true)]
    [InlineData("-9223372036854775808", true)]
    [InlineData("92233720368547758.07e2", true)]
    [InlineData("9223372036854775808", false)]
    [InlineData("-9223372036854775809", false)]
    [InlineData("1e19", false)]
    [InlineData("1.5", false)]
    [InlineData("1e-1", false)]
    [InlineData("abc", false)]
    [InlineData("", false)]
    public void Knows_which_literals_an_int_can_equal(string literal, bool expected)
    {
        Assert.Equal(expected, MockConditions.IsInt64Value(literal.AsSpan()));
    }

    [Theory]
    [InlineData("path-params.id = \"abc\"", "int", "always false")]
    [InlineData("path-params.id != 'abc'", "int", "always true")]
    [InlineData("\"abc\" = path-params.id", "int", "always false")]
    [InlineData("path-params.id = 1.5", "int", "always false")]
    [InlineData("path-params.id = ''", "int", "always false")]
    [InlineData("path-params.id = true", "int", "always false")]
    [InlineData("path-params.id = 99999999999999999999", "int", "always false")]
    [InlineData("path-params.id = 1", "int", null)]
    [InlineData("path-params.id = \"007\"", "int", null)]
    [InlineData("path-params.id = 1e3", "int", null)]
    [InlineData("path-params.id > 1.5", "int", null)]
    [InlineData("path-params.flag = 1", "bool", "always false")]
    [InlineData("path-params.flag = 'True'", "boolean", "always false")]
    [InlineData("path-params.flag = true", "bool", null)]
    [InlineData("path-params.flag != \"false\"", "boolean", null)]
    [InlineData("path-params.flag > 0", "bool", "always false")]
    [InlineData("path-params.price = 'cheap'", "double", "always false")]
    [InlineData("path-params.price = 1e-3", "float", null)]
    [InlineData("path-params.price = true", "float", "always false")]
    [InlineData("path-params.u = \"3F2504E0-4F89-11D3-9A0C-0305E82C3301\"", "uuid", "3f2504e0-4f89-11d3-9a0c-0305e82c3301")]
    [InlineData("path-params.u = \"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"", "uuid", null)]
    [InlineData("path-params.u = 1", "uuid", "always false")]
    [InlineData("path-params.u < 1", "uuid", "always false")]
    [InlineData("path-params.d = \"2024-02-29\"", "date", null)]
    [InlineData("path-params.d = \"2023-02-29\"", "date", "always false")]
    [InlineData("path-params.d = \"2024-2-1\"", "date", "always false")]
    [InlineData("path-params.d >= 20240101", "date", "always false")]
    [InlineData("path-params.name = 'abc'", "string", null)]
    [InlineData("path-params.name = 'abc'", null, null)]
    [InlineData("query-params.id = 'abc'", "int", null)]
    [InlineData("path-params.id = path-params.other", "int", null)]
    public void Warns_when_a_typed_path_parameter_can_never_match(string text, string? type, string? expected)
    {
        var warnings = ConditionAnalysis.FindTypeMismatches(Root(text), _ => Declared(type));
        if (expected is null)
        {
            Assert.Empty(warnings);
            return;
        }
        var warning = Assert.Single(warnings);
        Assert.Contains(expected, warning.Message, StringComparison.Ordinal);
        Assert.Equal((0, text.Length), (warning.Offset, warning.Length));
    }

    [Fact]
    public void Type_warnings_point_at_each_comparison()
    {
        const string text = "json-params.x or path-params.id = 'a' and (path-params.flag = 1 or path-params.id = 2)";
        var types = new Dictionary<string, string> { ["id"] = "int", ["flag"] = "bool" };
        var warnings = ConditionAnalysis.FindTypeMismatches(Root(text), name => types.TryGetValue(name, out var t) ? Declared(t) : null);
        Assert.Equal(2, warnings.Count);
        Assert.Equal("path-params.id = 'a'", text.Substring(warnings[0].Offset, warnings[0].Length));
        Assert.Equal("path-params.flag = 1", text.Substring(warnings[1].Offset, warnings[1].Length));
        Assert.Contains("path parameter 'id' is declared int", warnings[0].Message, StringComparison.Ordinal);
    }
}
