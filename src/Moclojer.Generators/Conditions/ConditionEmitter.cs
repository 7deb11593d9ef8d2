using System;
using System.Globalization;
using System.Text;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Conditions;

/// <summary>
/// Turns a parsed condition into a C# <c>bool</c> expression that calls <c>global::Moclojer.Runtime.MockConditions</c>.
/// Parts that do not depend on the request are folded (<c>if: true</c>, <c>1 = 1</c>, <c>false and …</c>).
/// </summary>
internal static class ConditionEmitter
{
    /// <summary>The runtime class the emitted code calls.</summary>
    public const string RuntimeType = "global::Moclojer.Runtime.MockConditions";

    /// <summary>
    /// Emits <paramref name="root"/> as a C# boolean expression; a null root (empty condition) is <c>true</c>.
    /// </summary>
    /// <param name="root">The parsed condition.</param>
    /// <param name="variable">Gives the C# expression, of type <c>string?</c> (null = missing), that reads a variable.
    /// It is called once per occurrence of the variable that survives folding.</param>
    public static string Emit(ConditionNode? root, Func<VariableRef, string> variable)
    {
        if (root is null)
        {
            return "true";
        }
        var builder = new StringBuilder();
        Write(builder, root, variable);
        return builder.ToString();
    }

    /// <summary>Writes an expression that is either a literal, a call, or parenthesised, so it can follow <c>!</c>.</summary>
    private static void Write(StringBuilder builder, ConditionNode node, Func<VariableRef, string> variable)
    {
        if (ConditionAnalysis.Constant(node) is { } constant)
        {
            builder.Append(constant ? "true" : "false");
            return;
        }
        switch (node)
        {
            case VariableOperand operand:
                builder.Append(RuntimeType).Append(".Truthy(").Append(variable(operand.Variable)).Append(')');
                break;
            case ComparisonNode comparison:
                builder.Append(RuntimeType).Append('.').Append(MethodName(comparison.Operator)).Append('(');
                WriteOperand(builder, comparison.Left, variable);
                builder.Append(", ");
                WriteOperand(builder, comparison.Right, variable);
                builder.Append(')');
                break;
            case NotNode not:
                builder.Append('!');
                Write(builder, not.Operand, variable);
                break;
            case AndNode and:
                WriteChain(builder, and.Operands, " && ", skip: true, variable);
                break;
            case OrNode or:
                WriteChain(builder, or.Operands, " || ", skip: false, variable);
                break;
            default:
                throw new InvalidOperationException("Unknown condition node " + node.GetType().Name);
        }
    }

    /// <summary>Writes an and/or chain, leaving out the operands that are constantly <paramref name="skip"/> (the
    /// chain itself is not constant, so at least one operand remains).</summary>
    private static void WriteChain(StringBuilder builder, EquatableArray<ConditionNode> operands, string separator, bool skip, Func<VariableRef, string> variable)
    {
        var kept = 0;
        foreach (var operand in operands)
        {
            if (ConditionAnalysis.Constant(operand) != skip)
            {
                kept++;
            }
        }
        if (kept > 1)
        {
            builder.Append('(');
        }
        var first = true;
        foreach (var operand in operands)
        {
            if (ConditionAnalysis.Constant(operand) == skip)
            {
                continue;
            }
            if (!first)
            {
                builder.Append(separator);
            }
            first = false;
            Write(builder, operand, variable);
        }
        if (kept > 1)
        {
            builder.Append(')');
        }
    }

    private static void WriteOperand(StringBuilder builder, OperandNode operand, Func<VariableRef, string> variable)
    {
        switch (operand)
        {
            case VariableOperand v:
                builder.Append(variable(v.Variable));
                break;
            case LiteralOperand literal:
                builder.Append(StringLiteral(literal.Value));
                break;
        }
    }

    private static string MethodName(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "Equal",
        ComparisonOperator.NotEqual => "NotEqual",
        ComparisonOperator.Greater => "Greater",
        ComparisonOperator.Less => "Less",
        ComparisonOperator.GreaterOrEqual => "GreaterOrEqual",
        _ => "LessOrEqual",
    };

    /// <summary>
    /// A C# regular string literal for <paramref name="value"/>. Everything outside printable ASCII is written as a
    /// <c>\uXXXX</c> escape, so the output does not depend on the file's encoding and never contains a character
    /// that C# treats as a line break (U+0085, U+2028, U+2029) or a lone surrogate.
    /// </summary>
    public static string StringLiteral(string value)
    {
        var builder = new StringBuilder(value.Length + 2);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        builder.Append('"');
        return builder.ToString();
    }
}
