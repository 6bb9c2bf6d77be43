using System.Text.Json.Nodes;
using Maille.Engine.Mesh;

namespace Maille.Kube.Views;

/// <summary>
/// A <see cref="MeshVerdict"/> as JSON, the same in <c>trace</c> (a mesh hop's <c>decision</c>) and <c>matrix</c> (a
/// connection's <c>mesh</c>): the keys of the policy tiers' decision (<c>tier</c> is <c>Mesh</c>, <c>action</c> ALLOW or
/// DENY, <c>rule</c> the rule's index) and the mesh's own: <c>outcome</c>, <c>mtls</c>, <c>source</c> and
/// <c>destination</c> identities, <c>mode</c>, <c>modeSetBy</c>, <c>allowPolicies</c>, <c>skippedL7Rules</c>.
/// </summary>
public static class MeshJson
{
    public static JsonObject Of(MeshVerdict verdict) => new()
    {
        ["tier"] = "Mesh",
        ["allowed"] = verdict.Allowed,
        ["priority"] = null,
        ["policy"] = verdict.DecidedBy?.Policy,
        ["rule"] = verdict.DecidedBy?.Rule,
        ["ruleName"] = null,
        ["action"] = verdict.DecidedBy?.ActionText,
        ["passedBy"] = null,
        ["outcome"] = verdict.Outcome.ToString(),
        ["mtls"] = verdict.Mtls,
        ["source"] = verdict.SourceIdentity,
        ["destination"] = verdict.DestinationIdentity,
        ["mode"] = verdict.ModeText,
        ["modeSetBy"] = verdict.ModeSetBy,
        ["allowPolicies"] = new JsonArray([.. verdict.AllowPolicies.Select(p => (JsonNode)JsonValue.Create(p)!)]),
        ["skippedL7Rules"] = new JsonArray([.. verdict.SkippedL7Rules.Select(r => (JsonNode)JsonValue.Create(r.ToString())!)]),
    };
}
