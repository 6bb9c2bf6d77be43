using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Maille.Dataplane.Linux.Netns;

namespace Maille.Dataplane.Linux.Lab;

/// <summary>
/// How a lab's namespaces and interfaces are named. A lab name is a DNS label (<c>hold-49</c>); in namespace names its
/// hyphens become underscores (<see cref="Token"/>), so every namespace starts with <c>maille-&lt;token&gt;-</c>, a
/// lab's namespaces are found by prefix and shape (<see cref="IsLabNamespace"/>), and no lab's prefix is a prefix of
/// another's.
/// Pods are named by a hash of their key: namespace names stay short and interface names fit in 15 characters.
/// </summary>
public static partial class LabNames
{
    public const int MaxLabNameLength = 32;
    public const int MaxInterfaceNameLength = 15;
    public const string BridgeInterface = "br0";
    public const string ExternalUnderlayInterface = "ext0";
    public const string PodInterface = "eth0";
    public const string NodeInterface = "eth0";
    public const string VxlanInterface = "vxlan0";

    public static string Prefix(string lab) => $"{NetworkNamespace.NamePrefix}{Token(lab)}-";

    /// <summary>The lab's name in namespace names: hyphens, which end the lab's part of a name, become underscores.</summary>
    public static string Token(string lab) => lab.Replace('-', '_');

    public static string Underlay(string lab) => Prefix(lab) + "underlay";

    public static string External(string lab) => Prefix(lab) + "external";

    public static string Node(string lab, string node) => Prefix(lab) + "node-" + node;

    public static string Pod(string lab, string podKey) => Prefix(lab) + "pod-" + Hash(podKey, 12);

    /// <summary>The node's end of a pod's veth, in the node namespace (Calico's <c>cali</c> + hash, here <c>mai</c>).</summary>
    public static string PodHostInterface(string podKey) => "mai" + Hash(podKey, 11);

    /// <summary>
    /// The MAC of a pod's <c>eth0</c> (<paramref name="hostSide"/> false) or of its veth on the node: locally administered
    /// (02:…), from a hash of the pod's key, so that both ends are known before the link exists and each side's
    /// permanent neighbour entry for the other can be written with it (docs/lab-network.md).
    /// </summary>
    public static System.Net.NetworkInformation.PhysicalAddress PodMac(string podKey, bool hostSide)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(podKey));
        return new([0x02, hostSide ? (byte)0x6e : (byte)0x70, bytes[0], bytes[1], bytes[2], bytes[3]]);
    }

    /// <summary>The underlay bridge's port for a node, in the underlay namespace.</summary>
    public static string NodeUnderlayInterface(string node) => "nd" + Hash(node, 12);

    public static bool IsValidLab(string lab) => lab.Length is > 0 and <= MaxLabNameLength && LabName().IsMatch(lab);

    /// <summary>
    /// Whether <paramref name="name"/> is one of <paramref name="lab"/>'s namespaces: <c>maille-LAB-underlay</c>,
    /// <c>-external</c>, <c>-node-NODE</c> or <c>-pod-HASH</c>. Other namespaces that merely share the prefix
    /// (<c>maille-bench-a</c> for lab <c>bench</c>, a benchmark's baseline pair) are not the lab's.
    /// </summary>
    public static bool IsLabNamespace(string lab, string name) => LabOf(name) == lab;

    /// <summary>Where the lab's namespaces are mounted (<see cref="Netns.NetworkNamespace.CreateHome"/>); <c>/run/netns</c> links to them.</summary>
    public static string NamespaceHome(string lab) => "/run/maille-netns/" + Token(lab);

    /// <summary>The lab a namespace belongs to, or null when the name is not shaped like a lab's namespace.</summary>
    public static string? LabOf(string namespaceName)
    {
        var match = LabNamespace().Match(namespaceName);
        return match.Success ? match.Groups[1].Value.Replace('_', '-') : null;
    }

    public static bool IsValidNode(string node) => node.Length is > 0 and <= 63 && NodeName().IsMatch(node);

    private static string Hash(string text, int characters) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..characters];

    [GeneratedRegex("^maille-([a-z0-9](?:[a-z0-9_]*[a-z0-9])?)-(underlay|external|node-.+|pod-[0-9a-f]{12})$")]
    private static partial Regex LabNamespace();

    /// <summary>A DNS label (RFC 1123), as Kubernetes names namespaces.</summary>
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex LabName();

    /// <summary>What a lab name must be, for errors.</summary>
    public static string LabNameRule => $"a lab name is 1 to {MaxLabNameLength} lower-case letters, digits and '-', starting and ending with a letter or digit";

    [GeneratedRegex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")]
    private static partial Regex NodeName();
}
