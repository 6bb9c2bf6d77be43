using System.Globalization;
using Maille.Engine.ServiceProxy;
using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// Collects what one Service port adds to the table (<see cref="ServiceRulesetBuilder.PortRules"/>): map elements,
/// the shared chains and maps they lean on, and, for session affinity, the port's own chains and sets.
/// </summary>
internal sealed class PortRulesWriter(ServicePortPlan port)
{
    private readonly List<NftSetElement> _elements = [];
    private readonly List<string> _shared = [];
    private readonly List<NftChain> _chains = [];
    private readonly List<NftSet> _sets = [];

    public void Element(string set, NftElement element) => _elements.Add(new NftSetElement(set, element));

    /// <summary>Records that the port needs a shared object; returns the object's own name.</summary>
    public string Shared(string name)
    {
        if (!_shared.Contains(name))
        {
            _shared.Add(name);
        }

        return name[(name.IndexOf(':', StringComparison.Ordinal) + 1)..];
    }

    /// <summary>
    /// Sends <paramref name="entry"/> through the shared chain of <paramref name="kind"/> (internal, external,
    /// external-local) to one endpoint of the cluster or local list, and returns that chain's name. Without affinity
    /// the endpoints become elements of the chain's own map (<c>internal-endpoints-N</c>), keyed by the entry and an
    /// index below N; with affinity the entry goes to this port's affinity chain for that list.
    /// </summary>
    public string Pick(string kind, string entry, bool localList)
    {
        var list = localList ? port.LocalEndpoints : port.ClusterEndpoints;
        if (port.AffinityTimeoutSeconds is { } timeout)
        {
            var listChain = AffinityChain(list, localList, timeout);
            Element(kind == "external-local" ? ServiceRulesetBuilder.LocalAffinityIps : ServiceRulesetBuilder.AffinityIps,
                new NftElement(entry, Verdict: NftVerdict.Goto(listChain)));
            return Shared($"chain:{kind}-affinity");
        }

        var count = list.Count.ToString(CultureInfo.InvariantCulture);
        var map = ServiceRulesetBuilder.EndpointMap($"{kind}-{count}");
        for (var i = 0; i < list.Count; i++)
        {
            Element(map, new NftElement(string.Create(CultureInfo.InvariantCulture, $"{entry} . {i}"), string.Create(CultureInfo.InvariantCulture, $"{list[i].Address} . {list[i].Port}")));
        }

        return Shared($"chain:{kind}-{count}");
    }

    /// <summary>Every local endpoint can be its own client: the pair (pod, pod) is masqueraded after translation.</summary>
    public void Hairpins()
    {
        foreach (var endpoint in port.ClusterEndpoints.Concat(port.LocalEndpoints).Where(e => e.IsLocal).DistinctBy(e => e.Address))
        {
            Element(ServiceRulesetBuilder.Hairpin, NftElement.Member(endpoint.Address.ToString(), endpoint.Address.ToString()));
        }
    }

    public ServicePortRules Result() => new(port.Id, new(_elements), new(_shared), new(_chains), new(_sets));

    /// <summary>
    /// kube-proxy's shape for session affinity: a chain per list that sends a client seen recently (its address in the
    /// endpoint's dynamic set) to the same endpoint, otherwise picks one at random; a chain per endpoint that records the
    /// client and translates.
    /// </summary>
    private string AffinityChain(EquatableArray<ProxyEndpoint> list, bool localList, int timeout)
    {
        var name = $"{(localList ? "local-" : "")}affinity-{port.Id}";
        if (_chains.Any(c => c.Name == name))
        {
            return name;
        }

        var sticky = new List<NftRule>();
        var targets = new List<NftVerdict>();
        foreach (var endpoint in list)
        {
            var (endpointChain, set) = AffinityEndpoint(endpoint, timeout);
            sticky.Add(NftRule.Of(new NftSetMatch(new[] { NftField.SourceAddress }, set), new NftVerdictStatement(NftVerdict.Goto(endpointChain))));
            targets.Add(NftVerdict.Goto(endpointChain));
        }

        sticky.Add(NftRule.Of(new NftNumgenVmapStatement(new(targets))));
        _chains.Add(new NftChain(name, null, new(sticky)));
        return name;
    }

    private (string Chain, string Set) AffinityEndpoint(ProxyEndpoint endpoint, int timeout)
    {
        var name = $"affinity-endpoint-{port.Id}__{endpoint.Address}/{endpoint.Port}";
        var set = $"affinity-{ServiceRulesetBuilder.Hash(string.Create(CultureInfo.InvariantCulture, $"{name}/{timeout}"))}";
        if (!_chains.Any(c => c.Name == name))
        {
            _sets.Add(new NftSet(set, string.Create(CultureInfo.InvariantCulture, $"type ipv4_addr; flags dynamic,timeout; timeout {timeout}s"), EquatableArray<NftElement>.Empty, Dynamic: true));
            _chains.Add(new NftChain(name, null, new[]
            {
                NftRule.Of(new NftSetUpdateStatement(NftField.SourceAddress, set)),
                NftRule.Of(new NftValueMatch(NftField.Protocol, port.Protocol.ToString().ToLowerInvariant()), new NftDnatStatement(endpoint.Address, endpoint.Port)),
            }));
        }

        return (name, set);
    }
}
