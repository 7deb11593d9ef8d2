using System.Globalization;
using System.Text;

namespace Moclojer.Runtime;

/// <summary>
/// The base of the generated typed calls (<c>mock.Endpoints.GetProductsById.Calls</c>): the request, and the path
/// parameters that the generated type also exposes as typed properties. Value equality, the hash code and
/// <see cref="ToString"/> (<c>GetProductsByIdCall { Request = #1 GET /products/7 -> 200 ..., Id = 7 }</c>) are written
/// once here: a C# record per endpoint made the compiler synthesize and compile about ten members per endpoint,
/// the largest part of a big mock project's build.
/// </summary>
public abstract class MockCall : IEquatable<MockCall>
{
    private static readonly string[] NoNames = [];
    private static readonly object?[] NoValues = [];

    private readonly string[] _names;
    private readonly object?[] _values;

    /// <summary>A call of an endpoint without path parameters.</summary>
    protected MockCall(RequestRecord request)
        : this(request, NoNames, NoValues)
    {
    }

    /// <summary>A call whose path parameters are named <paramref name="names"/> (the generated properties) with <paramref name="values"/>.</summary>
    protected MockCall(RequestRecord request, string[] names, object?[] values)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (names.Length != values.Length)
        {
            throw new ArgumentException("One value per name.", nameof(values));
        }
        Request = request ?? throw new ArgumentNullException(nameof(request));
        _names = names;
        _values = values;
    }

    /// <summary>The request as the journal kept it.</summary>
    public RequestRecord Request { get; }

    /// <summary>Same type, same journal record and equal path parameters, as a record type would compare.</summary>
    public bool Equals(MockCall? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null || other.GetType() != GetType() || !ReferenceEquals(other.Request, Request) || other._values.Length != _values.Length)
        {
            return false;
        }
        for (var i = 0; i < _values.Length; i++)
        {
            if (!Equals(_values[i], other._values[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as MockCall);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(GetType());
        hash.Add(Request);
        foreach (var value in _values)
        {
            hash.Add(value);
        }
        return hash.ToHashCode();
    }

    /// <summary>Compares as <see cref="Equals(MockCall)"/>.</summary>
    public static bool operator ==(MockCall? left, MockCall? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares as <see cref="Equals(MockCall)"/>.</summary>
    public static bool operator !=(MockCall? left, MockCall? right) => !(left == right);

    /// <summary>The type name, the request and each path parameter, as a record prints itself (numbers in invariant culture).</summary>
    public override string ToString()
    {
        var text = new StringBuilder(GetType().Name).Append(" { Request = ").Append(Request);
        for (var i = 0; i < _names.Length; i++)
        {
            text.Append(", ").Append(_names[i]).Append(" = ").Append(_values[i] switch
            {
                DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                bool flag => flag ? "true" : "false",
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                var other => other?.ToString(),
            });
        }
        return text.Append(" }").ToString();
    }

    // The conversions of path values into the generated properties' types (P-4, P-5): the value the handler accepted,
    // in canonical form, then read as the CLR type. Here once instead of in every generated type.

    /// <summary>An <c>int</c> path value as a 64-bit integer (P-4).</summary>
    protected static bool TryInt(string raw, out long value)
    {
        value = 0;
        return MockValues.TryCanonical(MockParamType.Int, raw, out var canonical)
            && long.TryParse(canonical, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A <c>float</c> or <c>double</c> path value as a double.</summary>
    protected static bool TryDouble(MockParamType type, string raw, out double value)
    {
        value = 0;
        return MockValues.TryCanonical(type, raw, out var canonical)
            && double.TryParse(canonical, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A <c>bool</c> path value.</summary>
    protected static bool TryBool(string raw, out bool value)
    {
        value = false;
        return MockValues.TryCanonical(MockParamType.Bool, raw, out var canonical) && bool.TryParse(canonical, out value);
    }

    /// <summary>A <c>uuid</c> path value.</summary>
    protected static bool TryUuid(string raw, out Guid value)
    {
        value = Guid.Empty;
        return MockValues.TryCanonical(MockParamType.Uuid, raw, out var canonical) && Guid.TryParseExact(canonical, "D", out value);
    }

    /// <summary>A <c>date</c> path value (<c>yyyy-MM-dd</c>).</summary>
    protected static bool TryDate(string raw, out DateOnly value)
    {
        value = default;
        return MockValues.TryCanonical(MockParamType.Date, raw, out var canonical)
            && DateOnly.TryParseExact(canonical, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }
}
