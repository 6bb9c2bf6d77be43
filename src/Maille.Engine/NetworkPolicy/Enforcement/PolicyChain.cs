using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// The rules that decide one direction for every local pod isolated by the same policies with the same outcome
/// (for ingress, named ports resolve on the pod itself, so pods declaring them differently get different chains).
/// A connection the rules do not allow is denied. <see cref="Name"/> is derived from the content (direction, policies,
/// rules): equal content, one chain; changed content, a new name, so a chain is never rewritten in place, only
/// created, pointed at and deleted.
/// </summary>
public sealed record PolicyChain(string Name, PolicyDirection Direction, EquatableArray<string> Policies, EquatableArray<CompiledRule> Rules);
