using Maille.Model;

namespace Maille.Engine.Allocation;

/// <summary>The node port a Service port (number and protocol) had.</summary>
public sealed record PriorNodePort(int Port, Protocol Protocol, int NodePort);
