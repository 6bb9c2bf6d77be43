using System.Globalization;
using Maille.Kube.Tables;
using Maille.Model;

namespace Maille.Kube.Views;

/// <summary>
/// <c>maille describe netpol</c>: kubectl's description of a NetworkPolicy, line for line, and on a running lab each
/// rule's counter after the rule (<c>Matched: …</c>).
/// </summary>
public static class NetworkPolicyDescription
{
    /// <summary>kubectl aligns the header's values after the widest label plus two spaces (a tabwriter).</summary>
    private const int HeaderWidth = 14;

    public static void Write(TextWriter writer, NetworkPolicy policy, RuleCounters? counters)
    {
        Header(writer, "Name:", [policy.Meta.Name]);
        Header(writer, "Namespace:", [policy.Namespace]);
        Header(writer, "Created on:", [policy.Meta.CreationTimestamp is { } created ? created.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss '+0000 UTC'", CultureInfo.InvariantCulture) : "<unknown>"]);
        Header(writer, "Labels:", [.. policy.Meta.Labels.Select(l => $"{l.Key}={l.Value}")]);
        Header(writer, "Annotations:", [.. policy.Meta.Annotations.Select(l => $"{l.Key}: {l.Value}")]);
        writer.WriteLine("Spec:");
        writer.WriteLine("  PodSelector:     " + (policy.PodSelector.IsEmpty ? "<none> (Allowing the specific traffic to all pods in this namespace)" : policy.PodSelector.ToString()));
        foreach (var direction in new[] { PolicyDirection.Ingress, PolicyDirection.Egress })
        {
            var name = direction == PolicyDirection.Ingress ? "ingress" : "egress";
            if (policy.EffectivePolicyTypes.HasFlag(direction))
            {
                writer.WriteLine($"  Allowing {name} traffic:");
                Rules(writer, policy, direction, counters);
            }
            else
            {
                writer.WriteLine($"  Not affecting {name} traffic");
            }
        }

        writer.WriteLine("  Policy Types: " + string.Join(", ", new[] { PolicyDirection.Ingress, PolicyDirection.Egress }.Where(d => policy.EffectivePolicyTypes.HasFlag(d))));
        if (counters is not null)
        {
            writer.WriteLine("Matched: connections each rule allowed, summed over the lab's nodes (only a connection's first packet meets a");
            writer.WriteLine("  policy rule, so packets are connections and bytes are those first packets' bytes).");
        }
    }

    private static void Header(TextWriter writer, string label, IReadOnlyList<string> values)
    {
        writer.WriteLine(label.PadRight(HeaderWidth) + (values.Count == 0 ? "<none>" : values[0]));
        foreach (var value in values.Skip(1))
        {
            writer.WriteLine(new string(' ', HeaderWidth) + value);
        }
    }

    private static void Rules(TextWriter writer, NetworkPolicy policy, PolicyDirection direction, RuleCounters? counters)
    {
        const string Indent = "    ";
        var ingress = direction == PolicyDirection.Ingress;
        var rules = ingress ? policy.Ingress : policy.Egress;
        if (rules.IsEmpty)
        {
            writer.WriteLine($"{Indent}<none> (Selected pods are isolated for {(ingress ? "ingress" : "egress")} connectivity)");
            return;
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (rule.Ports.IsEmpty)
            {
                writer.WriteLine($"{Indent}To Port: <any> (traffic allowed to all ports)");
            }

            foreach (var port in rule.Ports)
            {
                var number = port.Port is { } p ? (port.EndPort is { } end ? $"{p}-{end}" : p.ToString()) : "<any>";
                writer.WriteLine($"{Indent}To Port: {number}/{port.Protocol}");
            }

            var peerWord = ingress ? "From" : "To";
            if (rule.Peers.IsEmpty)
            {
                writer.WriteLine($"{Indent}{peerWord}: <any> (traffic not restricted by {(ingress ? "source" : "destination")})");
            }

            foreach (var peer in rule.Peers)
            {
                writer.WriteLine($"{Indent}{peerWord}:");
                if (peer.NamespaceSelector is { } namespaces)
                {
                    writer.WriteLine($"  {Indent}NamespaceSelector: {namespaces}");
                }

                if (peer.PodSelector is { } pods)
                {
                    writer.WriteLine($"  {Indent}PodSelector: {pods}");
                }

                if (peer.IpBlock is { } block)
                {
                    writer.WriteLine($"  {Indent}IPBlock:");
                    writer.WriteLine($"    {Indent}CIDR: {block.Cidr}");
                    writer.WriteLine($"    {Indent}Except: {string.Join(", ", block.Except)}");
                }
            }

            if (counters is not null)
            {
                writer.WriteLine($"{Indent}Matched: {Matched(counters.Of(policy, direction, i))}");
            }

            if (i != rules.Count - 1)
            {
                writer.WriteLine($"{Indent}----------");
            }
        }
    }

    private static string Matched(RuleCount? count) => count is null
        ? "0 packets, 0 bytes (no node counts this rule: the policy selects no pod of the lab)"
        : string.Create(CultureInfo.InvariantCulture, $"{count.Packets} packets, {count.Bytes} bytes ({string.Join(", ", count.Nodes.Select(n => $"{n.Node}: {n.Packets}"))})");
}
