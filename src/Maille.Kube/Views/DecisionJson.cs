using System.Text.Json.Nodes;
using Maille.Engine.NetworkPolicies;

namespace Maille.Kube.Views;

/// <summary>
/// A <see cref="TierDecision"/> as JSON, the same in <c>trace</c> and <c>matrix</c>:
/// <c>{"tier", "allowed", "priority", "policy", "rule", "ruleName", "action", "passedBy"}</c>, absent fields null.
/// </summary>
public static class DecisionJson
{
    public static JsonObject Of(TierDecision decision) => new()
    {
        ["tier"] = decision.Tier.ToString(),
        ["allowed"] = decision.Allowed,
        ["priority"] = decision.Priority,
        ["policy"] = decision.Policy,
        ["rule"] = decision.Rule,
        ["ruleName"] = decision.RuleName,
        ["action"] = decision.Action?.ToString(),
        ["passedBy"] = decision.PassedBy,
    };
}
