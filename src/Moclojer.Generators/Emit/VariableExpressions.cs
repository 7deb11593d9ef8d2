using System.Globalization;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>
/// The C# expression (a <c>string?</c>, null when missing) that reads a variable inside a generated handler.
/// Typed path and declared query parameters are locals checked once at the top of the handler; json-params
/// paths become static arrays, added to the handler's fields.
/// </summary>
internal sealed class VariableExpressions(
    IReadOnlyList<PathSegment> parameters,
    IReadOnlyList<QueryParamSpec> declaredQuery,
    string fieldPrefix,
    List<string> fields)
{
    private const string Runtime = "global::Moclojer.Runtime.";
    private int _jsonPaths;

    public string Value(VariableRef variable)
    {
        switch (variable.Source)
        {
            case VariableSource.PathParams:
                for (var k = 0; k < parameters.Count; k++)
                {
                    if (parameters[k].Text == variable.Name)
                    {
                        return "path_" + k.ToString(CultureInfo.InvariantCulture);
                    }
                }
                return "null";
            case VariableSource.QueryParams:
                for (var k = 0; k < declaredQuery.Count; k++)
                {
                    if (declaredQuery[k].Name == variable.Name)
                    {
                        return "query_" + k.ToString(CultureInfo.InvariantCulture);
                    }
                }
                return "request.Query(" + CodeWriter.Literal(variable.Name) + ")";
            case VariableSource.HeaderParams:
                return "request.Header(" + CodeWriter.Literal(variable.Name) + ")";
            case VariableSource.JsonParams:
                if (variable.Path.IsEmpty)
                {
                    return Runtime + "MockJson.Text(request.Json)";
                }
                var field = fieldPrefix + (_jsonPaths++).ToString(CultureInfo.InvariantCulture);
                fields.Add("private static readonly string[] " + field + " = { " + string.Join(", ", variable.Path.Select(CodeWriter.Literal)) + " };");
                return Runtime + "MockJson.Text(request.Json, " + field + ")";
            case VariableSource.Now:
                return "request.Now";
            case VariableSource.Message:
                return "message";
            default:
                return Runtime + "MockRequest.NewUuid()";
        }
    }
}
