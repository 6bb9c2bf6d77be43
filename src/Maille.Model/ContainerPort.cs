namespace Maille.Model;

/// <summary>A declared container port; <see cref="Name"/> is what a named targetPort or policy port refers to.</summary>
public sealed record ContainerPort(string? Name, int Port, Protocol Protocol, int? HostPort = null);
