using Microsoft.CodeAnalysis.CSharp;
using Moclojer.Generators.Model;

namespace Moclojer.Generators.Combining;

/// <summary>
/// Combines the served endpoints of every mock file into the test host's model: one typed endpoint per HTTP
/// endpoint (files ordered by path, endpoints in declaration order), in the project's root namespace.
/// </summary>
internal static class TestHostSpecBuilder
{
    public static TestHostSpec Build(IEnumerable<MockFileSpec> files, string rootNamespace, bool enabled)
    {
        var endpoints = files
            .Where(f => !f.HasErrors)
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .SelectMany(f => f.Endpoints)
            .Select(e => new TypedEndpoint(e.Name, e.Route, Parameters(e.Name, e.Segments)))
            .ToEquatableArray();
        return new TestHostSpec(Namespace(rootNamespace), endpoints, enabled);
    }

    /// <summary>
    /// Path parameters as PascalCase properties (<c>orderId</c> → <c>OrderId</c>, <c>order_id</c> → <c>OrderId</c>).
    /// A name that would clash with a member of the call type (its own name, <c>TryCreate</c>, or a member of the
    /// runtime's <c>MockCall</c> such as <c>Request</c>) or with another parameter gets a number.
    /// </summary>
    private static EquatableArray<TypedParameter> Parameters(string endpointName, EquatableArray<PathSegment> segments)
    {
        var used = new HashSet<string>(ReservedMembers, StringComparer.Ordinal) { endpointName + "Call" };
        var parameters = new List<TypedParameter>();
        foreach (var segment in segments.Where(s => s.IsParameter))
        {
            var baseName = Parsing.EndpointNames.Pascal(segment.Text);
            if (baseName.Length == 0 || char.IsDigit(baseName[0]))
            {
                baseName = "Parameter" + baseName;
            }
            var name = baseName;
            for (var n = 2; !used.Add(name); n++)
            {
                name = baseName + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            parameters.Add(new TypedParameter(name, segment.Type));
        }
        return parameters.ToEquatableArray();
    }

    private static readonly string[] ReservedMembers =
    [
        "Request", "TryCreate", "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "ReferenceEquals",
        "TryInt", "TryDouble", "TryBool", "TryUuid", "TryDate",
    ];

    /// <summary>
    /// <c>$(RootNamespace)</c> as a C# namespace: each dotted part made an identifier (other characters become
    /// <c>_</c>, a leading digit or a keyword gets a <c>_</c> prefix), as MSBuild does for the default root namespace.
    /// </summary>
    internal static string Namespace(string rootNamespace)
    {
        var parts = rootNamespace.Split(['.'], StringSplitOptions.RemoveEmptyEntries)
            .Select(part =>
            {
                var chars = part.Trim().Select(c => char.IsLetterOrDigit(c) || c == '_' ? c : '_').ToArray();
                var name = new string(chars);
                return name.Length == 0 || char.IsDigit(name[0]) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "_" + name : name;
            })
            .ToList();
        return parts.Count == 0 ? "MockService" : string.Join(".", parts);
    }
}
