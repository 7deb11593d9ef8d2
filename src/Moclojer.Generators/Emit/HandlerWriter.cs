using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>
/// What endpoint and websocket handlers share: the writer, the class's static fields, the P-3 checks of typed path
/// parameters, and the code of templates. A handler first lists the static fields it reads (<see cref="Statics"/>,
/// data in the order the handler reads them), which are written before it, then writes its method.
/// </summary>
internal abstract class HandlerWriter
{
    protected const string Runtime = "global::Moclojer.Runtime.";

    private readonly VariableExpressions _variables;

    protected HandlerWriter(CodeWriter writer, ClassStatics statics, EquatableArray<PathSegment> segments, IReadOnlyList<QueryParamSpec> declaredQuery)
    {
        Writer = writer;
        Statics = statics;
        Parameters = segments.Where(s => s.IsParameter).ToList();
        _variables = new VariableExpressions(Parameters, declaredQuery, statics);
    }

    protected CodeWriter Writer { get; }

    protected ClassStatics Statics { get; }

    /// <summary>The path parameters, in order: <c>path_0</c>, <c>path_1</c>… in the handler.</summary>
    protected List<PathSegment> Parameters { get; }

    /// <summary>Whether the handler is an <c>async</c> method (otherwise it returns the task it ends with).</summary>
    protected abstract bool IsAsync { get; }

    /// <summary>Writes the handler's comment, the static fields it reads, and the handler.</summary>
    public abstract void Write();

    /// <summary>The C# expression (a <c>string?</c>, null when missing) of a variable.</summary>
    protected string Value(VariableRef variable) => _variables.Value(variable);

    /// <summary>Opens the handler method, whose first local is the request's <c>HttpContext</c>.</summary>
    protected void StartHandler(string name)
    {
        Writer.StartBlock($"internal static {(IsAsync ? "async " : string.Empty)}global::System.Threading.Tasks.Task {name}({Runtime}MockRequest request)");
        Writer.WriteLine("var context = request.HttpContext;");
    }

    /// <summary>P-3: a string parameter is used as it is; a typed one is checked and canonicalised, or the request gets 400.</summary>
    protected void WritePathChecks()
    {
        for (var k = 0; k < Parameters.Count; k++)
        {
            var parameter = Parameters[k];
            var local = "path_" + Literals.Number(k);
            var raw = $"request.PathValues[{Literals.Number(k)}]";
            if (parameter.Type == MockParamType.String)
            {
                Writer.WriteLine($"var {local} = {raw};");
                continue;
            }
            Writer.StartBlock($"if (!{Runtime}MockValues.TryCanonical({Runtime}MockParamType.{parameter.Type}, {raw}, out var {local}))");
            Return($"{Runtime}MockResponses.InvalidParameterAsync(request, \"path\", {Literals.String(parameter.Text)}, {Literals.String(parameter.TypeName)}, {raw})");
            Writer.EndBlock();
        }
    }

    /// <summary>Ends the request early with <paramref name="task"/>.</summary>
    protected void Return(string task)
    {
        if (IsAsync)
        {
            Writer.WriteLine($"""
                await {task};
                return;
                """);
        }
        else
        {
            Writer.WriteLine($"return {task};");
        }
    }

    /// <summary>The handler's final statement: no trailing <c>return;</c> after the await.</summary>
    protected void ReturnLast(string task) => Writer.WriteLine(IsAsync ? $"await {task};" : $"return {task};");

    /// <summary>
    /// Writes a template into <paramref name="buffer"/> (a <c>TemplateBuffer</c> local): literal parts as build-time
    /// UTF-8 bytes, variables as the template's place requires (JSON string, JSON value of a JSON body, or raw).
    /// </summary>
    protected void WriteTemplate(string buffer, TemplateSpec template)
    {
        foreach (var part in template.Parts)
        {
            Writer.WriteLine(part.IsLiteral ? $"{buffer}.Append({Literals.Utf8(part.Literal)});"
                : part.JsonValue ? JsonValue(buffer, part.Variable!)
                : $"{buffer}.{(part.InJsonString ? "AppendJsonEscaped" : "AppendRaw")}({Value(part.Variable!)});");
        }
    }

    /// <summary>
    /// T-6 in a value position of a JSON body (S-11): json-params in its JSON form, now and uuid as strings, other text
    /// as a JSON literal when it is exactly one, otherwise as a string; missing is null (T-3).
    /// </summary>
    private string JsonValue(string buffer, VariableRef variable) => variable.Source switch
    {
        VariableSource.JsonParams when variable.Path.IsEmpty => $"{buffer}.AppendJson(request.Json);",
        VariableSource.JsonParams => $"{buffer}.AppendJson(request.Json, {Statics.JsonPath(variable.Path)});",
        VariableSource.Now or VariableSource.Uuid => $"{buffer}.AppendJsonString({Value(variable)});",
        // A typed int or bool path parameter was checked and canonicalised (P-3): always a JSON number or boolean.
        VariableSource.PathParams when Parameters.Any(p => p.Text == variable.Name && p.Type is MockParamType.Int or MockParamType.Bool)
            => $"{buffer}.AppendRaw({Value(variable)});",
        _ => $"{buffer}.AppendJsonValue({Value(variable)});",
    };

    /// <summary>
    /// A template as one string expression: a literal when it is static, otherwise the concatenation of its parts,
    /// each variable passed through <paramref name="encode"/> (header value, url component, external path).
    /// </summary>
    protected string StringExpression(TemplateSpec template, Func<string, string> encode)
    {
        if (template.IsStatic)
        {
            return Literals.String(template.StaticText);
        }
        var parts = template.Parts.Select(p => p.IsLiteral ? Literals.String(p.Literal) : encode(Value(p.Variable!))).ToList();
        return parts.Count == 1 ? parts[0] : $"string.Concat({string.Join(", ", parts)})";
    }

    /// <summary>A header value: each variable made safe for a header (no line breaks).</summary>
    protected string HeaderValue(TemplateSpec template) => StringExpression(template, value => $"{Runtime}MockText.HeaderValue({value})");
}
