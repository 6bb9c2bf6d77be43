using Maille.Engine.NetworkPolicies;

namespace Maille.Lab.Probing;

/// <summary>
/// What <c>maille probe</c> asks a lab's daemon for (<c>POST …/views/probe</c>): the ports (none: every TCP/UDP port the
/// pods declare), one namespace or all, each attempt's timeout, a sample of the pairs or all of them, and the format.
/// </summary>
public sealed record ProbeRequest(IReadOnlyList<PortProtocol> Ports, string? Namespace, TimeSpan Timeout, ProbeSample? Sample, bool Json);
