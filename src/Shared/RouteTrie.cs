// Shared source: the shape of the router (R-1, R-2, H-3) that both the generator (which emits it as code) and the
// runtime (which walks it for route tables built without the generator) derive from the route list. One copy.

using System.Collections.Generic;

#if MOCLOJER_RUNTIME
namespace Moclojer.Runtime;
#else
namespace Moclojer.Generators.Shared;
#endif

/// <summary>
/// One node of the route trie: the routes whose path has <see cref="Depth"/> segments so far matched by the literal
/// texts and parameters on the way here. Children are tried literal first, then the parameter (R-1, left to right);
/// a leaf (depth equal to the segment count) holds its routes host-specific first, then in declaration order.
/// </summary>
internal sealed class RouteTrieNode
{
    public RouteTrieNode(int depth) => Depth = depth;

    public int Depth { get; }

    /// <summary>Literal children, by segment text (ordinal order, so the emitted code is the same on every build).</summary>
    public SortedDictionary<string, RouteTrieNode> Literals { get; } = new(System.StringComparer.Ordinal);

    /// <summary>The child for a parameter segment (one non-empty segment, P-8), or null.</summary>
    public RouteTrieNode? Parameter { get; set; }

    /// <summary>At a leaf: the indexes of its routes, in the order they are tried.</summary>
    public List<int> Routes { get; } = new();

    /// <summary>At a leaf: where its routes start in <see cref="RouteTrie.Order"/>.</summary>
    public int First { get; set; }
}

/// <summary>The router's shape: one trie per segment count, and every route in the order the leaves try them.</summary>
internal sealed class RouteTrie
{
    private RouteTrie(SortedDictionary<int, RouteTrieNode> roots, int[] order, int maxSegments)
    {
        Roots = roots;
        Order = order;
        MaxSegments = maxSegments;
    }

    /// <summary>The root of each segment count that has routes.</summary>
    public SortedDictionary<int, RouteTrieNode> Roots { get; }

    /// <summary>Route indexes (declaration order) in the order leaves list them: a leaf is a contiguous run.</summary>
    public int[] Order { get; }

    public int MaxSegments { get; }

    /// <summary>
    /// Builds the trie of routes given by their segments (null where a segment is a parameter) and whether each is
    /// bound to a host. Routes with the same path shape share a leaf.
    /// </summary>
    public static RouteTrie Build(IReadOnlyList<string?[]> segments, IReadOnlyList<bool> hasHost)
    {
        var roots = new SortedDictionary<int, RouteTrieNode>();
        var max = 0;
        for (var r = 0; r < segments.Count; r++)
        {
            var path = segments[r];
            if (path.Length > max)
            {
                max = path.Length;
            }
            if (!roots.TryGetValue(path.Length, out var node))
            {
                node = new RouteTrieNode(0);
                roots.Add(path.Length, node);
            }
            foreach (var segment in path)
            {
                RouteTrieNode? next;
                if (segment is null)
                {
                    next = node.Parameter ??= new RouteTrieNode(node.Depth + 1);
                }
                else if (!node.Literals.TryGetValue(segment, out next))
                {
                    next = new RouteTrieNode(node.Depth + 1);
                    node.Literals.Add(segment, next);
                }
                node = next;
            }
            node.Routes.Add(r);
        }

        var order = new List<int>(segments.Count);
        foreach (var root in roots.Values)
        {
            Number(root, order, hasHost);
        }
        return new RouteTrie(roots, order.ToArray(), max);
    }

    private static void Number(RouteTrieNode node, List<int> order, IReadOnlyList<bool> hasHost)
    {
        if (node.Routes.Count > 0)
        {
            node.First = order.Count;
            // on a tie, a route bound to a host wins; otherwise declaration order.
            foreach (var r in node.Routes)
            {
                if (hasHost[r])
                {
                    order.Add(r);
                }
            }
            foreach (var r in node.Routes)
            {
                if (!hasHost[r])
                {
                    order.Add(r);
                }
            }
        }
        foreach (var child in node.Literals.Values)
        {
            Number(child, order, hasHost);
        }
        if (node.Parameter is { } parameter)
        {
            Number(parameter, order, hasHost);
        }
    }
}
