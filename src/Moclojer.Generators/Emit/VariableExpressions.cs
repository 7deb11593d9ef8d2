using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>
/// The C# expression (a <c>string?</c>, null when missing) that reads a variable inside a generated handler.
/// Typed path and declared query parameters are locals checked once at the top of the handler; json-params
/// paths are static arrays of the class (<see cref="ClassStatics"/>).
/// </summary>
internal sealed class VariableExpressions(
    IReadOnlyList<PathSegment> parameters,
    IReadOnlyList<QueryParamSpec> declaredQuery,
    ClassStatics statics)
{
    private const string Runtime = "global::Moclojer.Runtime.";

    public string Value(VariableRef variable)
    {
        switch (variable.Source)
        {
            case VariableSource.PathParams:
                for (var k = 0; k < parameters.Count; k++)
                {
                    if (parameters[k].Text == variable.Name)
                    {
                        return "path_" + Literals.Number(k);
                    }
                }
                return "null";
            case VariableSource.QueryParams:
                for (var k = 0; k < declaredQuery.Count; k++)
                {
                    if (declaredQuery[k].Name == variable.Name)
                    {
                        return "query_" + Literals.Number(k);
                    }
                }
                return $"request.Query({Literals.String(variable.Name)})";
            case VariableSource.HeaderParams:
                return $"request.Header({Literals.String(variable.Name)})";
            case VariableSource.JsonParams:
                return variable.Path.IsEmpty
                    ? Runtime + "MockJson.Text(request.Json)"
                    : $"{Runtime}MockJson.Text(request.Json, {statics.JsonPath(variable.Path)})";
            case VariableSource.Now:
                return "request.Now";
            case VariableSource.Message:
                return "message";
            default:
                return Runtime + "MockRequest.NewUuid()";
        }
    }
}
