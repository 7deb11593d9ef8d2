namespace Moclojer.Generators.Model;

/// <summary>A diagnostic as plain data: the descriptor's id, where, and the message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo Location, EquatableArray<string> MessageArgs);
