using Microsoft.CodeAnalysis;

namespace Moclojer.Generators;

/// <summary>Compiles moclojer-format mock files (AdditionalFiles) into an ASP.NET Core mock service.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class MockGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
