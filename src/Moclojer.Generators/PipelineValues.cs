using Microsoft.CodeAnalysis;
using Moclojer.Generators.Model;

namespace Moclojer.Generators;

// The values the pipeline's steps pass on are classes (records, compared by value). Roslyn's incremental node code
// is generic over the value's type: for classes one shared copy serves every step, while each struct shape (a bool,
// an int, an EquatableArray, a tuple from Combine, a tuple of tuples) is a copy of its own that a fresh compiler
// process JIT-compiles first (about a hundred methods each).

/// <summary>A mock file and the OpenAPI document it belongs to (its MoclojerOpenApi metadata, O-1), or null.</summary>
internal sealed record MockFileInput(AdditionalText File, string? OpenApi);

/// <summary>The project's OpenAPI documents, in a stable order (O-1).</summary>
internal sealed record OpenApiDocumentList(EquatableArray<OpenApiDocumentSpec> Items);

/// <summary>What every mock file is read with: the project folder, the JSON body setting (S-11) and the OpenAPI documents.</summary>
internal sealed record ParseSettings(string ProjectDir, bool VerbatimJson, EquatableArray<OpenApiDocumentSpec> OpenApiDocuments);

/// <summary>The build properties the outputs depend on.</summary>
internal sealed record OutputSettings(bool DesignTime, string GenerateEntryPoint, string? RootNamespace, bool TestHostEnabled, bool TestHostPropertySet);

/// <summary>Where the test host goes ($(RootNamespace), or the assembly name) and whether it is generated.</summary>
internal sealed record TestHostSettings(string RootNamespace, bool Enabled);

/// <summary>Diagnostics of a step.</summary>
internal sealed record DiagnosticList(EquatableArray<DiagnosticInfo> Items);

/// <summary>The routes a file declares, for the duplicate check across files.</summary>
internal sealed record RouteList(EquatableArray<RouteKey> Items);

/// <summary>A yes/no value of the pipeline.</summary>
internal sealed record Flag(bool Value)
{
    public static Flag Yes { get; } = new(true);

    public static Flag No { get; } = new(false);

    public static Flag Of(bool value) => value ? Yes : No;
}
