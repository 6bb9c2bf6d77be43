using k8s.Models;
using Maille.Kube.Gateway;
using YamlDotNet.Serialization;

namespace Maille.Kube.Mesh;

/// <summary>
/// The on-disk shape of an Istio AuthorizationPolicy (<c>security.istio.io/v1</c>). Fields Maille refuses
/// (<c>when</c>, request principals, remote ipBlocks, provider) are read so that validation can name
/// them instead of ignoring them.
/// </summary>
internal sealed class AuthorizationPolicyDocument
{
    [YamlMember(Alias = "metadata")]
    public V1ObjectMeta? Metadata { get; set; }

    [YamlMember(Alias = "spec")]
    public PolicySpec? Spec { get; set; }

    internal sealed class PolicySpec
    {
        [YamlMember(Alias = "selector")]
        public WorkloadSelectorDocument? Selector { get; set; }

        [YamlMember(Alias = "targetRef")]
        public ObjectReferenceDocument? TargetRef { get; set; }

        [YamlMember(Alias = "targetRefs")]
        public List<ObjectReferenceDocument?>? TargetRefs { get; set; }

        [YamlMember(Alias = "action")]
        public string? Action { get; set; }

        [YamlMember(Alias = "provider")]
        public object? Provider { get; set; }

        [YamlMember(Alias = "rules")]
        public List<Rule?>? Rules { get; set; }
    }

    internal sealed class Rule
    {
        [YamlMember(Alias = "from")]
        public List<From?>? From { get; set; }

        [YamlMember(Alias = "to")]
        public List<To?>? To { get; set; }

        [YamlMember(Alias = "when")]
        public List<object?>? When { get; set; }
    }

    internal sealed class From
    {
        [YamlMember(Alias = "source")]
        public Source? Source { get; set; }
    }

    internal sealed class To
    {
        [YamlMember(Alias = "operation")]
        public Operation? Operation { get; set; }
    }

    internal sealed class Source
    {
        [YamlMember(Alias = "principals")]
        public List<string?>? Principals { get; set; }

        [YamlMember(Alias = "notPrincipals")]
        public List<string?>? NotPrincipals { get; set; }

        [YamlMember(Alias = "namespaces")]
        public List<string?>? Namespaces { get; set; }

        [YamlMember(Alias = "notNamespaces")]
        public List<string?>? NotNamespaces { get; set; }

        [YamlMember(Alias = "ipBlocks")]
        public List<string?>? IpBlocks { get; set; }

        [YamlMember(Alias = "notIpBlocks")]
        public List<string?>? NotIpBlocks { get; set; }

        [YamlMember(Alias = "requestPrincipals")]
        public List<string?>? RequestPrincipals { get; set; }

        [YamlMember(Alias = "notRequestPrincipals")]
        public List<string?>? NotRequestPrincipals { get; set; }

        [YamlMember(Alias = "remoteIpBlocks")]
        public List<string?>? RemoteIpBlocks { get; set; }

        [YamlMember(Alias = "notRemoteIpBlocks")]
        public List<string?>? NotRemoteIpBlocks { get; set; }

        [YamlMember(Alias = "serviceAccounts")]
        public List<string?>? ServiceAccounts { get; set; }

        [YamlMember(Alias = "notServiceAccounts")]
        public List<string?>? NotServiceAccounts { get; set; }
    }

    internal sealed class Operation
    {
        [YamlMember(Alias = "ports")]
        public List<string?>? Ports { get; set; }

        [YamlMember(Alias = "notPorts")]
        public List<string?>? NotPorts { get; set; }

        [YamlMember(Alias = "methods")]
        public List<string?>? Methods { get; set; }

        [YamlMember(Alias = "notMethods")]
        public List<string?>? NotMethods { get; set; }

        [YamlMember(Alias = "paths")]
        public List<string?>? Paths { get; set; }

        [YamlMember(Alias = "notPaths")]
        public List<string?>? NotPaths { get; set; }

        [YamlMember(Alias = "hosts")]
        public List<string?>? Hosts { get; set; }

        [YamlMember(Alias = "notHosts")]
        public List<string?>? NotHosts { get; set; }
    }
}
