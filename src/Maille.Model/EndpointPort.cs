namespace Maille.Model;

/// <summary>A port of an EndpointSlice: the Service port's name, with the number resolved on the pods of that slice.</summary>
public sealed record EndpointPort(string? Name, int? Port, Protocol Protocol, string? AppProtocol = null);
