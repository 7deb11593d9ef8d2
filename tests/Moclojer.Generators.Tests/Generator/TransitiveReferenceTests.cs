using Moclojer.Generators.Tests.Infrastructure;

namespace Moclojer.Generators.Tests.Generator;

/// <summary>
/// A test project that references a mock project gets the generator transitively (NuGet lets analyzers flow through
/// a ProjectReference) but neither mock files nor the package's build props: it must get no code of its own, or its
/// empty MockServer would shadow the mock project's.
/// </summary>
public class TransitiveReferenceTests
{
    [Fact]
    public void A_project_without_mock_files_or_the_package_props_gets_nothing()
    {
        var run = GeneratorHarness.Run([], ["namespace Tests { public class T { } }"]);

        Assert.Empty(run.Sources);
        Assert.Empty(run.GeneratorDiagnostics);
    }

    [Fact]
    public void A_direct_reference_without_mock_files_still_gets_its_service_and_test_host()
    {
        // The package's props make these properties visible to the compiler, empty or not.
        var run = GeneratorHarness.Run([], ["namespace Tests { public class T { } }"], new()
        {
            ["build_property.MoclojerGenerateTestHost"] = "",
            ["build_property.RootNamespace"] = "Tests",
        });

        Assert.Contains(run.Sources, s => s.HintName == "MoclojerService.g.cs");
        Assert.Contains(run.Sources, s => s.HintName == "MockServer.g.cs");
    }
}
