using Maille.Engine.NetworkPolicies;

namespace Maille.Lab.Tests.Policy;

/// <summary>One connection an upstream conformance subtest pokes, with the fate it expects; pods named <c>house/pod</c>.</summary>
internal sealed record LiveConformanceProbe(string Test, string Case, string From, string To, PortProtocol Port, bool Allowed)
{
    public override string ToString() => $"{Test} \"{Case}\": {From} → {To} {Port}: expected {(Allowed ? "allowed" : "denied")}";
}
