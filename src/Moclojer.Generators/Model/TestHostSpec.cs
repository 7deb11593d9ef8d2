namespace Moclojer.Generators.Model;

/// <summary>A path parameter of a typed call: its C# property name and declared type.</summary>
internal sealed record TypedParameter(string Property, MockParamType Type);

/// <summary>One property of the generated <c>MockServerEndpoints</c>: the endpoint's name, how journals name it, and its typed path parameters.</summary>
internal sealed record TypedEndpoint(string Name, string Route, EquatableArray<TypedParameter> Parameters);

/// <summary>What the generated test host (<c>MockServer</c>, <c>MockServerEndpoints</c>) is emitted from.</summary>
internal sealed record TestHostSpec(string Namespace, EquatableArray<TypedEndpoint> Endpoints, bool Enabled);
