using System.Text;

namespace Moclojer.Generators.Benchmarks;

/// <summary>
/// The mock file the generator benchmarks read, the same as bench/load/build-cost.sh writes: half static endpoints,
/// half templated with an int parameter. Also compiled into bench/generator-cold.
/// </summary>
internal static class BenchMocks
{
    public static string File(int count, string variant)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            if (i % 2 == 0)
            {
                text.Append($"- endpoint:\n    path: /r{i}/items\n    response:\n      body: '{{\"resource\": {i}, \"items\": [1, 2, 3], \"note\": \"static{variant}\"}}'\n");
            }
            else
            {
                text.Append($"- endpoint:\n    path: /r{i}/items/:id|int\n    response:\n      body: '{{\"resource\": {i}, \"id\": {{{{path-params.id}}}}, \"name\": \"Item {{{{path-params.id}}}}{variant}\"}}'\n");
            }
        }
        return text.ToString();
    }
}
