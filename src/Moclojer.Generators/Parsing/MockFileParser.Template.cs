using Moclojer.Generators.Diagnostics;
using Moclojer.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

/// <summary>Templates (T-1 to T-8) in a scalar: compiled, with each problem reported at its own column.</summary>
internal sealed partial class MockFileParser
{
    /// <summary>Compiles a template, reporting its problems at their columns and checking path parameters.</summary>
    private TemplateSpec CompileTemplate(string text, TemplateKind kind, YamlScalarNode scalar, ItemScope scope)
    {
        var errors = new List<TemplateError>();
        var template = TemplateParser.Parse(text, kind, errors, scope.AllowMessage);
        ReportTemplateErrors(errors, scalar);
        CheckPathParameters(template, text, scalar, scope);
        return template;
    }

    private void ReportTemplateErrors(List<TemplateError> errors, YamlScalarNode scalar)
    {
        var mapper = new ScalarMapper(_map, scalar);
        foreach (var error in errors)
        {
            // The first argument of every template and path error is the user's text (the tag, the path, the name).
            var args = (string[])error.Args.Clone();
            if (args.Length > 0)
            {
                args[0] = DiagnosticText.Excerpt(args[0]);
            }
            Report(error.Kind, mapper.Map(error.Offset, error.Length), args);
        }
    }

    /// <summary>T-2: <c>path-params.name</c> must be declared by the item's path.</summary>
    private void CheckPathParameters(TemplateSpec template, string text, YamlScalarNode scalar, ItemScope scope)
    {
        foreach (var part in template.Parts)
        {
            if (part.Variable is { Source: VariableSource.PathParams } variable && !scope.Declares(variable.Name))
            {
                var expression = "path-params." + variable.Name;
                var offset = text.IndexOf(expression, StringComparison.Ordinal);
                ReportUndeclared(variable.Name, new ScalarMapper(_map, scalar).Map(Math.Max(offset, 0), expression.Length), scope);
            }
        }
    }

    private void ReportUndeclared(string name, LocationInfo location, ItemScope scope)
    {
        var declared = scope.Parameters.Count == 0 ? "(the path has no parameters)" : string.Join(", ", scope.Parameters.Select(p => "path-params." + p.Text));
        Report(DiagnosticKind.UndeclaredPathParam, location, name, DiagnosticText.Excerpt(scope.Path), declared);
    }
}
