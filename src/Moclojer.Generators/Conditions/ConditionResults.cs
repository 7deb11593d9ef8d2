using Moclojer.Generators.Model;

namespace Moclojer.Generators.Conditions;

// What ConditionParser and ConditionAnalysis report, as data: the parser maps these to diagnostics.

/// <summary>
/// A problem in a condition, as data. <see cref="Code"/> is one of <see cref="ConditionErrorCodes"/>;
/// <see cref="Offset"/> is the 0-based character offset in the condition text where the problem starts.
/// </summary>
internal sealed record ConditionError(string Code, string Message, int Offset, int Length);

/// <summary>The symbolic codes (spec section V) that condition errors carry.</summary>
internal static class ConditionErrorCodes
{
    /// <summary>An operator-like run that is not an operator (<c>==</c>, <c>=&gt;</c>, <c>!</c>), <c>any</c>/<c>all</c>,
    /// or any token where an operator, <c>and</c>, <c>or</c> or <c>)</c> should come (C-1, V-14).</summary>
    public const string UnknownOperator = "if-unknown-operator";

    /// <summary>A missing operand, unbalanced parentheses, an unterminated quote, a chained comparison,
    /// or a comparison whose side is not an operand (C-1, C-10, V-14).</summary>
    public const string Malformed = "if-malformed";

    /// <summary>A non-numeric literal next to <c>&gt; &lt; &gt;= &lt;=</c> (C-5, V-14).</summary>
    public const string NonNumericOperand = "if-non-numeric-operand";

    /// <summary>A bare word that is no variable, number or <c>true</c>/<c>false</c>; an unknown root; <c>now</c>/<c>uuid</c>
    /// (C-2, T-2, V-11).</summary>
    public const string UnknownVariableSource = "unknown-variable-source";
}

/// <summary>
/// The outcome of <see cref="ConditionParser.Parse"/>. With errors, <see cref="Root"/> is null. Without errors, a null
/// <see cref="Root"/> means the condition was empty: the webhook is always sent (W-6).
/// </summary>
internal sealed record ConditionParseResult(ConditionNode? Root, EquatableArray<ConditionError> Errors)
{
    public bool HasErrors => !Errors.IsEmpty;
}

/// <summary>A warning about a condition that compiles but cannot work as written (for example a typed path
/// parameter compared with a value of another type).</summary>
internal sealed record ConditionWarning(string Message, int Offset, int Length);
