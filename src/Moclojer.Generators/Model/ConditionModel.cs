namespace Moclojer.Generators.Model;

// The parsed form of a webhook condition (section C), held by WebhookSpec. Produced by Conditions/ConditionParser.

/// <summary>The six comparison operators of a webhook condition (C-1).</summary>
internal enum ComparisonOperator
{
    /// <summary><c>=</c></summary>
    Equal,
    /// <summary><c>!=</c></summary>
    NotEqual,
    /// <summary><c>&gt;</c></summary>
    Greater,
    /// <summary><c>&lt;</c></summary>
    Less,
    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,
    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,
}

/// <summary>How a literal was written. Every literal's value is a string (C-2).</summary>
internal enum LiteralKind
{
    /// <summary><c>"text"</c> or <c>'text'</c>.</summary>
    String,
    /// <summary>A bare number matching C-4's pattern, kept as written (<c>10.0</c>, <c>-3</c>, <c>1e3</c>).</summary>
    Number,
    /// <summary>The bare word <c>true</c> or <c>false</c>, which stands for that string.</summary>
    Boolean,
}

/// <summary>
/// A node of a parsed condition. <see cref="Offset"/> and <see cref="Length"/> locate the node in the condition
/// text (0-based characters), so checks on the tree can point at the right column.
/// <see cref="object.ToString"/> prints the node fully parenthesised, which makes precedence visible.
/// </summary>
internal abstract record ConditionNode(int Offset, int Length)
{
    public int End => Offset + Length;
}

/// <summary>A value: a variable or a literal. On its own (or after <c>not</c>) it is tested for truthiness (C-6).</summary>
internal abstract record OperandNode(int Offset, int Length) : ConditionNode(Offset, Length);

/// <summary>A variable such as <c>json-params.items.0.price</c> (T-2, T-4, C-8). Never <c>now</c> or <c>uuid</c>.</summary>
internal sealed record VariableOperand(VariableRef Variable, int Offset, int Length) : OperandNode(Offset, Length)
{
    public override string ToString() => Variable.ToString();
}

/// <summary>A literal value: its text without quotes (<see cref="Value"/>) and how it was written.</summary>
internal sealed record LiteralOperand(string Value, LiteralKind Kind, int Offset, int Length) : OperandNode(Offset, Length)
{
    /// <summary>True when the value matches C-4's numeric pattern (a numeric string literal counts too).</summary>
    public bool IsNumeric => MockConditions.IsNumeric(Value.AsSpan());

    public override string ToString() => Kind switch
    {
        LiteralKind.String => Value.IndexOf('"') < 0 ? "\"" + Value + "\"" : "'" + Value + "'",
        _ => Value,
    };
}

/// <summary><c>Left OP Right</c>. Both sides are operands (C-10); <see cref="OperatorOffset"/> locates the operator.</summary>
internal sealed record ComparisonNode(OperandNode Left, ComparisonOperator Operator, OperandNode Right, int OperatorOffset, int Offset, int Length)
    : ConditionNode(Offset, Length)
{
    public override string ToString() => "(" + Left + " " + ConditionText.Operator(Operator) + " " + Right + ")";
}

/// <summary><c>not X</c>: the operand or the parenthesised condition right after <c>not</c>.</summary>
internal sealed record NotNode(ConditionNode Operand, int Offset, int Length) : ConditionNode(Offset, Length)
{
    public override string ToString() => "(not " + Operand + ")";
}

/// <summary><c>a and b and …</c>, flattened: at least two operands.</summary>
internal sealed record AndNode(EquatableArray<ConditionNode> Operands, int Offset, int Length) : ConditionNode(Offset, Length)
{
    public override string ToString() => "(" + string.Join(" and ", Operands) + ")";
}

/// <summary><c>a or b or …</c>, flattened: at least two operands.</summary>
internal sealed record OrNode(EquatableArray<ConditionNode> Operands, int Offset, int Length) : ConditionNode(Offset, Length)
{
    public override string ToString() => "(" + string.Join(" or ", Operands) + ")";
}

/// <summary>Spelling of condition syntax, shared by the printer, the messages and the emitter.</summary>
internal static class ConditionText
{
    public static string Operator(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.Less => "<",
        ComparisonOperator.GreaterOrEqual => ">=",
        _ => "<=",
    };

    public static bool IsRelational(ComparisonOperator op) =>
        op is ComparisonOperator.Greater or ComparisonOperator.Less or ComparisonOperator.GreaterOrEqual or ComparisonOperator.LessOrEqual;

    /// <summary>A comparison written without the outer parentheses of <see cref="object.ToString"/>.</summary>
    public static string Describe(ComparisonNode node) => node.Left + " " + Operator(node.Operator) + " " + node.Right;
}
