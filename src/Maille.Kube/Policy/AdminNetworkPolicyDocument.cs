using k8s.Models;
using YamlDotNet.Serialization;

namespace Maille.Kube.Policy;

/// <summary>
/// The on-disk shape of the v1alpha1 kinds AdminNetworkPolicy and BaselineAdminNetworkPolicy (the latter has no
/// priority); both are read onto the ClusterNetworkPolicy model.
/// </summary>
internal sealed class AdminNetworkPolicyDocument
{
    [YamlMember(Alias = "metadata")]
    public V1ObjectMeta? Metadata { get; set; }

    [YamlMember(Alias = "spec")]
    public PolicySpec? Spec { get; set; }

    internal sealed class PolicySpec
    {
        [YamlMember(Alias = "priority")]
        public int? Priority { get; set; }

        [YamlMember(Alias = "subject")]
        public PolicyPeerDocument? Subject { get; set; }

        [YamlMember(Alias = "ingress")]
        public List<Rule?>? Ingress { get; set; }

        [YamlMember(Alias = "egress")]
        public List<Rule?>? Egress { get; set; }
    }

    internal sealed class Rule
    {
        [YamlMember(Alias = "name")]
        public string? Name { get; set; }

        [YamlMember(Alias = "action")]
        public string? Action { get; set; }

        [YamlMember(Alias = "from")]
        public List<PolicyPeerDocument?>? From { get; set; }

        [YamlMember(Alias = "to")]
        public List<PolicyPeerDocument?>? To { get; set; }

        [YamlMember(Alias = "ports")]
        public List<Port?>? Ports { get; set; }
    }

    internal sealed class Port
    {
        [YamlMember(Alias = "portNumber")]
        public PortNumber? PortNumber { get; set; }

        [YamlMember(Alias = "namedPort")]
        public string? NamedPort { get; set; }

        [YamlMember(Alias = "portRange")]
        public PortRangeDocument? PortRange { get; set; }
    }

    internal sealed class PortNumber
    {
        [YamlMember(Alias = "protocol")]
        public string? Protocol { get; set; }

        [YamlMember(Alias = "port")]
        public int? Port { get; set; }
    }
}
