using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Conditions;

/// <summary>Questions the generator asks about a parsed condition: what it reads, whether it is constant, and
/// whether it compares a typed path parameter with a value it can never have.</summary>
internal static class ConditionAnalysis
{
    /// <summary>Every node of the tree, depth first, in the order they appear in the text.</summary>
    public static IEnumerable<ConditionNode> Walk(ConditionNode? root)
    {
        if (root is null)
        {
            yield break;
        }
        var stack = new Stack<ConditionNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            switch (node)
            {
                case ComparisonNode comparison:
                    stack.Push(comparison.Right);
                    stack.Push(comparison.Left);
                    break;
                case NotNode not:
                    stack.Push(not.Operand);
                    break;
                case AndNode and:
                    PushReversed(stack, and.Operands);
                    break;
                case OrNode or:
                    PushReversed(stack, or.Operands);
                    break;
            }
        }
    }

    /// <summary>The variable operands with their positions, in text order (for checks such as undeclared-path-param).</summary>
    public static IEnumerable<VariableOperand> GetVariableOperands(ConditionNode? root)
    {
        foreach (var node in Walk(root))
        {
            if (node is VariableOperand variable)
            {
                yield return variable;
            }
        }
    }

    /// <summary>True when the condition reads <c>json-params</c>, so the request body must be parsed.</summary>
    public static bool ReadsJsonBody(ConditionNode? root)
    {
        foreach (var operand in GetVariableOperands(root))
        {
            if (operand.Variable.Source == VariableSource.JsonParams)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The value of a condition that does not depend on the request (<c>true</c>, <c>false</c>, <c>1 = 1</c>,
    /// <c>false and json-params.x</c>); null when it does. Literals are compared by the rules the runtime applies
    /// (<see cref="MockConditions"/>, the same source), so folding never changes an outcome.
    /// </summary>
    public static bool? Constant(ConditionNode node)
    {
        switch (node)
        {
            case LiteralOperand literal:
                return MockConditions.Truthy(literal.Value);
            case ComparisonNode { Left: LiteralOperand left, Right: LiteralOperand right } comparison:
                return Compare(comparison.Operator, left.Value, right.Value);
            case NotNode not:
                return !Constant(not.Operand);
            case AndNode and:
            {
                var all = true;
                foreach (var operand in and.Operands)
                {
                    var value = Constant(operand);
                    if (value == false)
                    {
                        return false;
                    }
                    all &= value == true;
                }
                return all ? true : null;
            }
            case OrNode or:
            {
                var none = true;
                foreach (var operand in or.Operands)
                {
                    var value = Constant(operand);
                    if (value == true)
                    {
                        return true;
                    }
                    none &= value == false;
                }
                return none ? false : null;
            }
            default:
                return null;
        }
    }

    /// <summary>C-4, C-5 and C-9 for two literal values.</summary>
    private static bool Compare(ComparisonOperator op, string left, string right) => op switch
    {
        ComparisonOperator.Equal => MockConditions.Equal(left, right),
        ComparisonOperator.NotEqual => MockConditions.NotEqual(left, right),
        ComparisonOperator.Greater => MockConditions.Greater(left, right),
        ComparisonOperator.Less => MockConditions.Less(left, right),
        ComparisonOperator.GreaterOrEqual => MockConditions.GreaterOrEqual(left, right),
        _ => MockConditions.LessOrEqual(left, right),
    };

    /// <summary>
    /// Finds comparisons that can never behave as written because a typed path parameter (P-2, P-5) is compared with
    /// a literal its canonical value can never equal (<c>path-params.id = "abc"</c> with <c>id|int</c>), or with a
    /// relational operator although its values are never numbers (<c>bool</c>, <c>uuid</c>, <c>date</c>).
    /// </summary>
    /// <param name="root">The parsed condition.</param>
    /// <param name="pathParameterType">The declared type of a path parameter by name, or null when it is not declared
    /// (untyped parameters are <see cref="MockParamType.String"/>).</param>
    public static EquatableArray<ConditionWarning> FindTypeMismatches(ConditionNode? root, Func<string, MockParamType?> pathParameterType)
    {
        var warnings = ImmutableArray.CreateBuilder<ConditionWarning>();
        foreach (var node in Walk(root))
        {
            if (node is not ComparisonNode comparison)
            {
                continue;
            }
            var (variable, literal) = comparison switch
            {
                { Left: VariableOperand v, Right: LiteralOperand l } => (v, l),
                { Left: LiteralOperand l, Right: VariableOperand v } => (v, l),
                _ => (null, null),
            };
            if (variable is null || literal is null || variable.Variable.Source != VariableSource.PathParams)
            {
                continue;
            }
            if (pathParameterType(variable.Variable.Name) is not { } type || type == MockParamType.String)
            {
                continue;
            }
            var name = variable.Variable.Name;
            var text = ConditionText.Describe(comparison);
            if (comparison.Operator is ComparisonOperator.Equal or ComparisonOperator.NotEqual)
            {
                if (CanEqual(type, literal.Value))
                {
                    continue;
                }
                var outcome = comparison.Operator == ComparisonOperator.Equal ? "false" : "true";
                warnings.Add(new ConditionWarning(
                    $"'{text}' is always {outcome}: path parameter '{name}' is declared {TypeName(type)}, so its value is {Describe(type)} "
                    + $"and never equals {literal}. {Advice(type, name, literal.Value)}",
                    comparison.Offset,
                    comparison.Length));
            }
            else if (type is MockParamType.Bool or MockParamType.Uuid or MockParamType.Date)
            {
                warnings.Add(new ConditionWarning(
                    $"'{text}' is always false: path parameter '{name}' is declared {TypeName(type)}, so its value is {Describe(type)}, not a number, "
                    + $"and '{ConditionText.Operator(comparison.Operator)}' compares numbers only. Compare it with '=' or '!=' instead.",
                    comparison.Offset,
                    comparison.Length));
            }
        }
        return new EquatableArray<ConditionWarning>(warnings.ToImmutable());
    }

    private static string TypeName(MockParamType type) => type.ToString().ToLowerInvariant();

    /// <summary>
    /// Whether a typed parameter's value (always canonical, P-5) can equal <paramref name="literal"/> under C-4:
    /// numbers compare by value, anything else as text, so the literal must itself be a canonical value.
    /// </summary>
    private static bool CanEqual(MockParamType type, string literal) => type switch
    {
        MockParamType.Int => MockConditions.IsInt64Value(literal.AsSpan()),
        MockParamType.Float or MockParamType.Double => MockConditions.IsNumeric(literal.AsSpan()),
        _ => MockValues.TryCanonical(type, literal, out var canonical) && canonical == literal,
    };

    private static string Describe(MockParamType type) => type switch
    {
        MockParamType.Int => "a whole number within 64 bits",
        MockParamType.Bool => "'true' or 'false'",
        MockParamType.Uuid => "a lower-case UUID",
        MockParamType.Date => "a date written yyyy-MM-dd",
        _ => "a number",
    };

    private static string Advice(MockParamType type, string name, string literal)
    {
        if (type == MockParamType.Uuid && MockValues.TryCanonical(type, literal, out var canonical))
        {
            return $"UUID values are compared in lower case: write path-params.{name} = \"{canonical}\".";
        }
        var example = type switch
        {
            MockParamType.Int => "42",
            MockParamType.Bool => "true",
            MockParamType.Uuid => "\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"",
            MockParamType.Date => "\"2024-01-31\"",
            _ => "1.5",
        };
        return $"Compare it with {Describe(type)} (e.g. path-params.{name} = {example}), or change the parameter's type.";
    }

    private static void PushReversed(Stack<ConditionNode> stack, EquatableArray<ConditionNode> items)
    {
        for (var i = items.Count - 1; i >= 0; i--)
        {
            stack.Push(items[i]);
        }
    }
}
