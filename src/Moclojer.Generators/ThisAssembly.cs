namespace Moclojer.Generators;

internal static class ThisAssembly
{
    /// <summary>Written into generated code; golden tests scrub it so a version bump does not change them.</summary>
    public static readonly string Version = typeof(ThisAssembly).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";
}
