using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>
/// Emits the service's router as code: a <c>switch</c> on the path's segment count, then, per segment, a
/// <c>switch</c> on the segment's text over the literal children of the trie (<see cref="RouteTrie"/>) followed by
/// the parameter child. Literal children come before the parameter one, so the first leaf that serves the request
/// is the most specific route; a leaf lists its routes host-specific first, and the runtime's
/// <c>MockRouteWalk.Leaf</c> checks method and host. A request costs what its path's length costs, whatever the
/// number of routes.
/// </summary>
internal static class RouterEmitter
{
    private const string Walk = "ref global::Moclojer.Runtime.MockRouteWalk walk";

    /// <summary>Writes the <c>MoclojerRouter</c> class: the route order, the segment-count switch and one method per count.</summary>
    public static void Emit(CodeWriter w, ServiceSpec spec)
    {
        var trie = RouteTrie.Build(
            spec.Routes.Select(r => r.Segments.Select((s, i) => r.IsParameter[i] ? null : s).ToArray()).ToList(),
            spec.Routes.Select(r => r.Host is not null).ToList());

        w.WriteLine("/// <summary>The compiled router: a trie of the routes written as <c>switch</c> statements on segment text.</summary>");
        w.StartBlock("internal static class MoclojerRouter");
        w.WriteLine($"""
            /// <summary>The most segments a route has.</summary>
            internal const int MaxSegments = {Literals.Number(trie.MaxSegments)};

            /// <summary>Route indexes (declaration order) in the order the leaves try them.</summary>
            """);
        w.WriteLine("internal static readonly int[] Order = new int[]");
        w.StartBlock();
        for (var i = 0; i < trie.Order.Length; i += 32)
        {
            w.WriteLine(string.Join(", ", trie.Order.Skip(i).Take(32).Select(Literals.Number)) + ",");
        }
        w.EndBlock(";");
        w.WriteLine();
        w.WriteLine("/// <summary>Walks the leaves that match the path, most specific first, until one serves the request.</summary>");
        w.StartBlock($"internal static bool Match({Walk})");
        w.StartBlock("switch (walk.Count)");
        foreach (var count in trie.Roots.Keys)
        {
            w.WriteLine($"case {Literals.Number(count)}: return Match{Literals.Number(count)}(ref walk);");
        }
        w.WriteLine("default: return false;");
        w.EndBlock();
        w.EndBlock();
        var branches = new List<(string Name, RouteTrieNode Node, int Count)>();
        foreach (var root in trie.Roots)
        {
            w.WriteLine();
            w.StartBlock($"private static bool Match{Literals.Number(root.Key)}({Walk})");
            WriteNode(w, root.Value, root.Key, branches);
            w.WriteLine("return false;");
            w.EndBlock();
        }
        // Each literal branch of a switch is a method of its own, so no method grows with the number of routes: a
        // method holding the whole trie would be too large for the JIT to optimise and would clear a frame of one
        // local per branch on every call.
        for (var i = 0; i < branches.Count; i++)
        {
            var (name, node, count) = branches[i];
            w.WriteLine();
            w.StartBlock($"private static bool {name}({Walk})");
            WriteNode(w, node, count, branches);
            w.WriteLine("return false;");
            w.EndBlock();
        }
        w.EndBlock();
    }

    private static void WriteNode(CodeWriter w, RouteTrieNode node, int count, List<(string Name, RouteTrieNode Node, int Count)> branches)
    {
        // A chain of nodes with a single child each becomes one condition.
        var conditions = new List<string>();
        while (node.Depth < count && node.Literals.Count + (node.Parameter is null ? 0 : 1) == 1)
        {
            var segment = $"walk.Segment({Literals.Number(node.Depth)})";
            if (node.Parameter is { } parameter)
            {
                conditions.Add(segment + ".Length != 0");
                node = parameter;
            }
            else
            {
                var literal = node.Literals.First();
                conditions.Add(segment + " is " + Literals.String(literal.Key));
                node = literal.Value;
            }
        }
        if (conditions.Count > 0)
        {
            w.StartBlock("if (" + string.Join(" && ", conditions) + ")");
            WriteNode(w, node, count, branches);
            w.EndBlock();
            return;
        }

        if (node.Depth == count)
        {
            w.WriteLine($"if (walk.Leaf({Literals.Number(node.First)}, {Literals.Number(node.Routes.Count)})) return true;");
            return;
        }

        var local = "s" + Literals.Number(node.Depth);
        w.WriteLine($"var {local} = walk.Segment({Literals.Number(node.Depth)});");
        if (node.Literals.Count > 0)
        {
            w.StartBlock($"switch ({local})");
            foreach (var literal in node.Literals)
            {
                w.WriteLine("case " + Literals.String(literal.Key) + ":");
                w.StartBlock();
                if (literal.Value.Depth == count)
                {
                    WriteNode(w, literal.Value, count, branches); // a leaf: one call, no method of its own
                }
                else
                {
                    var name = "Branch" + Literals.Number(branches.Count);
                    branches.Add((name, literal.Value, count));
                    w.WriteLine($"if ({name}(ref walk)) return true;");
                }
                w.WriteLine("break;");
                w.EndBlock();
            }
            w.EndBlock();
        }
        if (node.Parameter is { } child)
        {
            w.StartBlock($"if ({local}.Length != 0)");
            WriteNode(w, child, count, branches);
            w.EndBlock();
        }
    }
}
