using Moclojer.Generators.Model;

namespace Moclojer.Generators.Emit;

/// <summary>
/// Emits the service's router as code: a <c>switch</c> on the path's segment count, then, per segment, a
/// <c>switch</c> on the segment's text over the literal children of the trie (<see cref="RouteTrie"/>) followed by
/// the parameter child. Literal children come before the parameter one, so the first leaf that serves the request
/// is the most specific route; a leaf lists its routes host-specific first, and the runtime's
/// <c>MockRouteWalk.Leaf</c> checks method and host. A switch over many texts is split by length or character first
/// (<see cref="WriteLiterals"/>), so no method grows with the number of routes and a request costs what its path's
/// length costs, whatever the number of routes.
/// </summary>
internal static class RouterEmitter
{
    private const string Walk = "ref global::Moclojer.Runtime.MockRouteWalk walk";

    /// <summary>At most this many texts in one <c>switch</c>; a larger set is split first (<see cref="WriteLiterals"/>).</summary>
    internal const int MaxTextsPerSwitch = 32;

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
        var methods = new List<PendingMethod>();
        foreach (var root in trie.Roots)
        {
            w.WriteLine();
            w.StartBlock($"private static bool Match{Literals.Number(root.Key)}({Walk})");
            WriteNode(w, root.Value, root.Key, methods);
            w.WriteLine("return false;");
            w.EndBlock();
        }
        // Each literal branch of a switch, and each group of a large switch, is a method of its own, so no method grows
        // with the number of routes: a method holding the whole trie would be too large for the JIT to optimise and
        // would clear a frame of one local per branch on every call.
        for (var i = 0; i < methods.Count; i++)
        {
            var method = methods[i];
            w.WriteLine();
            w.StartBlock(method.Signature);
            method.WriteBody(w);
            w.WriteLine("return false;");
            w.EndBlock();
        }
        w.EndBlock();
    }

    /// <summary>A method the router calls, written after the one calling it.</summary>
    private readonly record struct PendingMethod(string Signature, Action<CodeWriter> WriteBody);

    private static void WriteNode(CodeWriter w, RouteTrieNode node, int count, List<PendingMethod> methods)
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
            WriteNode(w, node, count, methods);
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
            WriteLiterals(w, local, node.Literals.ToList(), count, methods);
        }
        if (node.Parameter is { } child)
        {
            w.StartBlock($"if ({local}.Length != 0)");
            WriteNode(w, child, count, methods);
            w.EndBlock();
        }
    }

    /// <summary>
    /// Dispatches the segment <paramref name="local"/> over literal children. Up to <see cref="MaxTextsPerSwitch"/>
    /// texts are one <c>switch</c> on the text. A larger set is split the way that leaves the smallest group: by the
    /// segment's length or by its character at one position (every text of the set has it). Each group is a method of
    /// its own, split again while too large, so every method stays small whatever the number of routes, and a
    /// request tests a few characters before comparing one text.
    /// </summary>
    private static void WriteLiterals(CodeWriter w, string local, List<KeyValuePair<string, RouteTrieNode>> literals, int count, List<PendingMethod> methods)
    {
        if (literals.Count <= MaxTextsPerSwitch)
        {
            w.StartBlock($"switch ({local})");
            foreach (var literal in literals)
            {
                w.WriteLine("case " + Literals.String(literal.Key) + ":");
                w.StartBlock();
                if (literal.Value.Depth == count)
                {
                    WriteNode(w, literal.Value, count, methods); // a leaf: one call, no method of its own
                }
                else
                {
                    var name = "Branch" + Literals.Number(methods.Count);
                    var node = literal.Value;
                    methods.Add(new($"private static bool {name}({Walk})", body => WriteNode(body, node, count, methods)));
                    w.WriteLine($"if ({name}(ref walk)) return true;");
                }
                w.WriteLine("break;");
                w.EndBlock();
            }
            w.EndBlock();
            return;
        }

        var (position, groups) = Split(literals);
        if (position >= 0)
        {
            // The request's segment may be shorter than every text of the set.
            w.StartBlock($"if ({local}.Length > {Literals.Number(position)})");
        }
        w.StartBlock(position < 0 ? $"switch ({local}.Length)" : $"switch ({local}[{Literals.Number(position)}])");
        foreach (var group in groups)
        {
            var name = "Texts" + Literals.Number(methods.Count);
            var texts = group.Value;
            methods.Add(new($"private static bool {name}({Walk}, global::System.ReadOnlySpan<char> {local})",
                body => WriteLiterals(body, local, texts, count, methods)));
            w.WriteLine($"case {group.Key}: if ({name}(ref walk, {local})) return true; break;");
        }
        w.EndBlock();
        if (position >= 0)
        {
            w.EndBlock();
        }
    }

    /// <summary>
    /// Splits texts by length (position -1) or by the character at a position every text has, whichever makes the
    /// largest group smallest (length on a tie). Distinct texts always differ in one of these, so every group is
    /// smaller than the set.
    /// </summary>
    private static (int Position, List<KeyValuePair<string, List<KeyValuePair<string, RouteTrieNode>>>> Groups) Split(
        List<KeyValuePair<string, RouteTrieNode>> literals)
    {
        // Grouped by the raw length or character, so each text costs a dictionary lookup; only the chosen split's keys
        // are written as C# literals.
        var best = Group(literals, -1);
        var bestPosition = -1;
        var bestLargest = Largest(best);
        var shortest = int.MaxValue;
        foreach (var literal in literals)
        {
            shortest = Math.Min(shortest, literal.Key.Length);
        }
        for (var position = 0; position < shortest; position++)
        {
            var groups = Group(literals, position);
            var largest = Largest(groups);
            if (largest < bestLargest)
            {
                best = groups;
                bestPosition = position;
                bestLargest = largest;
            }
        }
        // The cases in the ordinal order of their C# text, as the switch has always listed them.
        var ordered = new SortedDictionary<string, List<KeyValuePair<string, RouteTrieNode>>>(StringComparer.Ordinal);
        foreach (var group in best)
        {
            ordered.Add(bestPosition < 0 ? Literals.Number(group.Key) : Literals.Char((char)group.Key), group.Value);
        }
        return (bestPosition, [.. ordered]);
    }

    /// <summary>The texts by length (<paramref name="position"/> -1) or by their character at <paramref name="position"/>.</summary>
    private static Dictionary<int, List<KeyValuePair<string, RouteTrieNode>>> Group(List<KeyValuePair<string, RouteTrieNode>> literals, int position)
    {
        var groups = new Dictionary<int, List<KeyValuePair<string, RouteTrieNode>>>();
        foreach (var literal in literals)
        {
            var key = position < 0 ? literal.Key.Length : literal.Key[position];
            if (!groups.TryGetValue(key, out var group))
            {
                groups.Add(key, group = []);
            }
            group.Add(literal);
        }
        return groups;
    }

    private static int Largest(Dictionary<int, List<KeyValuePair<string, RouteTrieNode>>> groups)
    {
        var largest = 0;
        foreach (var group in groups.Values)
        {
            largest = Math.Max(largest, group.Count);
        }
        return largest;
    }
}
