using Maille.Engine.NetworkPolicies;

namespace Maille.Lab.Policy;

/// <summary>How many connections one policy rule allowed on one node (packets: first packets, so connections), and their bytes.</summary>
public sealed record PolicyRuleCount(PolicyRuleId Rule, long Packets, long Bytes);
