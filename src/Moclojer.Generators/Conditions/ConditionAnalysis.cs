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

    /// <summary>The distinct variables the condition reads, in order of first appearance.</summary>
    public static IEnumerable<VariableRef> GetVariables(ConditionNode? root)
    {
        var seen = new HashSet<VariableRef>();
        foreach (var operand in GetVariableOperands(root))
        {
            if (seen.Add(operand.Variable))
            {
                yield return operand.Variable;
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
    /// <c>false and json-params.x</c>); null when it does. An empty condition (null root) is constantly true.
    /// </summary>
    public static bool? GetConstantValue(ConditionNode? root) => root is null ? true : Constant(root);

    internal static bool? Constant(ConditionNode node)
    {
        switch (node)
        {
            case LiteralOperand literal:
                return Truthy(literal.Value);
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

    /// <summary>C-6 truthiness of a present value.</summary>
    internal static bool Truthy(string value) => value.Length > 0 && value != "false";

    /// <summary>C-4, C-5 and C-9 for two present values, as the runtime's <c>MockConditions</c> evaluates them.</summary>
    internal static bool Compare(ComparisonOperator op, string left, string right)
    {
        switch (op)
        {
            case ComparisonOperator.Equal:
                return string.Equals(left, right, StringComparison.Ordinal) || ConditionNumbers.Compare(left, right) == 0;
            case ComparisonOperator.NotEqual:
                return !Compare(ComparisonOperator.Equal, left, right);
        }
        if (ConditionNumbers.Compare(left, right) is not { } order)
        {
            return false;
        }
        return op switch
        {
            ComparisonOperator.Greater => order > 0,
            ComparisonOperator.Less => order < 0,
            ComparisonOperator.GreaterOrEqual => order >= 0,
            _ => order <= 0,
        };
    }

    /// <summary>
    /// Finds comparisons that can never behave as written because a typed path parameter (P-2, P-5) is compared with
    /// a literal its canonical value can never equal (<c>path-params.id = "abc"</c> with <c>id|int</c>), or with a
    /// relational operator although its values are never numbers (<c>bool</c>, <c>uuid</c>, <c>date</c>).
    /// </summary>
    /// <param name="root">The parsed condition.</param>
    /// <param name="pathParameterType">The declared type of a path parameter by name (<c>int</c>, <c>bool</c>, …), or null
    /// when the parameter is untyped or not declared.</param>
    public static EquatableArray<ConditionWarning> FindTypeMismatches(ConditionNode? root, Func<string, string?> pathParameterType)
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
            var type = NormalizeType(pathParameterType(variable.Variable.Name));
            if (type is null)
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
                    $"'{text}' is always {outcome}: path parameter '{name}' is declared {type}, so its value is {Describe(type)} "
                    + $"and never equals {literal}. {Advice(type, name, literal.Value)}",
                    comparison.Offset,
                    comparison.Length));
            }
            else if (type is "bool" or "uuid" or "date")
            {
                warnings.Add(new ConditionWarning(
                    $"'{text}' is always false: path parameter '{name}' is declared {type}, so its value is {Describe(type)}, not a number, "
                    + $"and '{ConditionText.Operator(comparison.Operator)}' compares numbers only. Compare it with '=' or '!=' instead.",
                    comparison.Offset,
                    comparison.Length));
            }
        }
        return new EquatableArray<ConditionWarning>(warnings.ToImmutable());
    }

    /// <summary>The P-2 types that have a canonical form, normalised (<c>boolean</c> is <c>bool</c>); null for
    /// <c>string</c>, untyped and unknown types, which any literal may match.</summary>
    private static string? NormalizeType(string? type) => type?.Trim().ToLowerInvariant() switch
    {
        "int" => "int",
        "bool" or "boolean" => "bool",
        "float" => "float",
        "double" => "double",
        "uuid" => "uuid",
        "date" => "date",
        _ => null,
    };

    private static bool CanEqual(string type, string literal) => type switch
    {
        "int" => ConditionNumbers.IsInt64Value(literal),
        "bool" => literal is "true" or "false",
        "float" or "double" => ConditionNumbers.IsNumeric(literal),
        "uuid" => IsCanonicalUuid(literal),
        "date" => IsDate(literal),
        _ => true,
    };

    private static string Describe(string type) => type switch
    {
        "int" => "a whole number within 64 bits",
        "bool" => "'true' or 'false'",
        "uuid" => "a lower-case UUID",
        "date" => "a date written yyyy-MM-dd",
        _ => "a number",
    };

    private static string Advice(string type, string name, string literal)
    {
        if (type == "uuid" && IsCanonicalUuid(literal.ToLowerInvariant()))
        {
            return $"UUID values are compared in lower case: write path-params.{name} = \"{literal.ToLowerInvariant()}\".";
        }
        var example = type switch
        {
            "int" => "42",
            "bool" => "true",
            "uuid" => "\"3f2504e0-4f89-11d3-9a0c-0305e82c3301\"",
            "date" => "\"2024-01-31\"",
            _ => "1.5",
        };
        return $"Compare it with {Describe(type)} (e.g. path-params.{name} = {example}), or change the parameter's type.";
    }

    private static bool IsCanonicalUuid(string text)
    {
        if (text.Length != 36)
        {
            return false;
        }
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = i is 8 or 13 or 18 or 23 ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsDate(string text)
    {
        if (text.Length != 10 || text[4] != '-' || text[7] != '-')
        {
            return false;
        }
        for (var i = 0; i < text.Length; i++)
        {
            if (i is not (4 or 7) && (text[i] < '0' || text[i] > '9'))
            {
                return false;
            }
        }
        var year = Number(text, 0, 4);
        var month = Number(text, 5, 2);
        var day = Number(text, 8, 2);
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    private static int Number(string text, int start, int length)
    {
        var value = 0;
        for (var i = start; i < start + length; i++)
        {
            value = value * 10 + (text[i] - '0');
        }
        return value;
    }

    private static void PushReversed(Stack<ConditionNode> stack, EquatableArray<ConditionNode> items)
    {
        for (var i = items.Count - 1; i >= 0; i--)
        {
            stack.Push(items[i]);
        }
    }
}
