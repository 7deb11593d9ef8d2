using System.Text;

using Moclojer.Generators.Model;

namespace Moclojer.Generators.Parsing;

/// <summary>
/// The C# name of an endpoint in generated test code (<c>mock.Endpoints.GetProductsById</c>): its <c>name:</c>
/// key when it has one, otherwise derived from the method, path and host so it reads like the route: the method,
/// then each literal segment in PascalCase, <c>By</c> before a parameter and <c>And</c> before a parameter or
/// literal that follows a parameter; a trailing <c>/</c> adds <c>Slash</c> and a <c>host</c> adds <c>On</c> + the host.
/// <c>GET /</c> → <c>GetRoot</c>, <c>GET /products/:id|int</c> → <c>GetProductsById</c>,
/// <c>GET /users/:uid/orders/:oid</c> → <c>GetUsersByUidAndOrdersByOid</c>, <c>GET /a/:x/:y</c> → <c>GetAByXAndY</c>,
/// <c>GET /status</c> with <c>host: api.example.com</c> → <c>GetStatusOnApiExampleCom</c>.
/// </summary>
internal static class EndpointNames
{
    public static string Derive(string method, EquatableArray<PathSegment> segments, string? host = null)
    {
        var name = new StringBuilder(Pascal(method.ToLowerInvariant()));
        var afterParameter = false;
        var anyWord = false;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var word = Pascal(segment.Text);
            if (word.Length == 0)
            {
                if (i == segments.Count - 1 && segment.Text.Length == 0 && i > 0)
                {
                    name.Append("Slash"); // P-7: /a/ is another endpoint than /a
                }
                continue;
            }
            if (segment.IsParameter)
            {
                name.Append(afterParameter ? "And" : "By");
                afterParameter = true;
            }
            else
            {
                if (afterParameter)
                {
                    name.Append("And");
                }
                afterParameter = false;
            }
            name.Append(word);
            anyWord = true;
        }
        if (!anyWord)
        {
            name.Append("Root");
        }
        if (host is { Length: > 0 })
        {
            name.Append("On").Append(Pascal(host));
        }
        return name.ToString();
    }

    /// <summary>A name the user may write in <c>name:</c>: a C# identifier of ASCII letters, digits and '_', not a keyword.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length == 0 || !(IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(IsAsciiLetter(c) || c is >= '0' and <= '9' || c == '_'))
            {
                return false;
            }
        }
        return Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(name) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None;
    }

    /// <summary>Letters and digits of <paramref name="text"/>, each run that follows a separator capitalised.</summary>
    internal static string Pascal(string text)
    {
        var result = new StringBuilder(text.Length);
        var upper = true;
        foreach (var c in text)
        {
            if (IsAsciiLetter(c) || c is >= '0' and <= '9')
            {
                result.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }
        return result.ToString();
    }

    private static bool IsAsciiLetter(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z';
}
