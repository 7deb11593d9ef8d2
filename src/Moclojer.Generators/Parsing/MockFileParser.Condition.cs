using Moclojer.Generators.Conditions;
using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>A webhook's <c>if</c> condition (section C).</summary>
internal sealed partial class MockFileParser
{
    /// <summary>
    /// Compiles a webhook condition. Syntax errors, unknown sources and undeclared path parameters
    /// are errors at their column; a comparison that can never hold for a typed path parameter is a warning.
    /// </summary>
    private bool ReadCondition(YamlScalarNode scalar, ItemScope scope, out ConditionNode? condition)
    {
        var text = scalar.Value ?? string.Empty;
        var mapper = new ScalarMapper(_map, scalar);
        var result = ConditionParser.Parse(text);
        condition = result.Root;
        foreach (var error in result.Errors)
        {
            var location = mapper.Map(error.Offset, error.Length);
            switch (error.Code)
            {
                case ConditionErrorCodes.UnknownOperator:
                    Report(DiagnosticKind.IfUnknownOperator, location, error.Message);
                    break;
                case ConditionErrorCodes.NonNumericOperand:
                    Report(DiagnosticKind.IfNonNumericOperand, location, error.Message);
                    break;
                case ConditionErrorCodes.UnknownVariableSource:
                    var word = error.Offset >= 0 && error.Offset + error.Length <= text.Length ? text.Substring(error.Offset, error.Length) : text;
                    Report(DiagnosticKind.UnknownVariableSource, location, word);
                    break;
                default:
                    Report(DiagnosticKind.IfMalformed, location, error.Message);
                    break;
            }
        }
        if (result.HasErrors)
        {
            condition = null;
            return false;
        }

        var valid = true;
        foreach (var operand in ConditionAnalysis.GetVariableOperands(condition))
        {
            if (operand.Variable.Source == VariableSource.PathParams && !scope.Declares(operand.Variable.Name))
            {
                ReportUndeclared(operand.Variable.Name, mapper.Map(operand.Offset, operand.Length), scope);
                valid = false;
            }
        }
        foreach (var warning in ConditionAnalysis.FindTypeMismatches(condition, scope.TypeOf))
        {
            Report(DiagnosticKind.ConditionNeverMatches, mapper.Map(warning.Offset, warning.Length), warning.Message);
        }
        return valid;
    }
}
