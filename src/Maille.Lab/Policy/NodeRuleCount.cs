namespace Maille.Lab.Policy;

/// <summary>One node's counter of one policy rule: connections it allowed there (first packets) and their bytes.</summary>
public sealed record NodeRuleCount(string Node, long Packets, long Bytes);
