namespace Moclojer.Generators;

/// <summary>Names of the pipeline steps, so tests can assert what a re-run recomputes.</summary>
internal static class TrackingNames
{
    public const string MockFiles = nameof(MockFiles);
    public const string DataFiles = nameof(DataFiles);
    public const string OpenApiDocuments = nameof(OpenApiDocuments);
    public const string ParsedFiles = nameof(ParsedFiles);
    public const string FileSpecs = nameof(FileSpecs);
    public const string FileDiagnostics = nameof(FileDiagnostics);
    public const string RouteKeys = nameof(RouteKeys);
    public const string DuplicateDiagnostics = nameof(DuplicateDiagnostics);
    public const string EntryPointChoice = nameof(EntryPointChoice);
    public const string Service = nameof(Service);
    public const string TestHost = nameof(TestHost);
}
