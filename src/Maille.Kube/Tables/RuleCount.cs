namespace Maille.Kube.Tables;

/// <summary>One policy rule's counter summed over a lab's nodes, with each node's packets (node name order).</summary>
public sealed record RuleCount(long Packets, long Bytes, IReadOnlyList<(string Node, long Packets)> Nodes);
