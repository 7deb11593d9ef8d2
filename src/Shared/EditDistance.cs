// Shared source: compiled into the generator (did-you-mean for unknown keys) and into the runtime (near misses of
// unmatched requests). Internal on both sides.

#if MOCLOJER_RUNTIME
namespace Moclojer.Runtime;
#else
namespace Moclojer.Generators.Shared;
#endif

/// <summary>How far apart two short texts are, for "did you mean" and "closest endpoint" answers.</summary>
internal static class EditDistance
{
    /// <summary>The Levenshtein distance; texts longer than 64 characters count as entirely different.</summary>
    public static int Between(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64)
        {
            return System.Math.Max(a.Length, b.Length);
        }
        System.Span<int> previous = stackalloc int[b.Length + 1];
        System.Span<int> current = stackalloc int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = System.Math.Min(System.Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            current.CopyTo(previous);
        }
        return previous[b.Length];
    }
}
