using System.Text.Json.Nodes;

namespace Maille.Lab.NodeAgents;

/// <summary>
/// What a part holds, in its own terms (rules, elements, isolated pods, announced addresses). Each part has one
/// sealed record; the lab API writes its properties beside the runner's fields in the part's status.
/// </summary>
public abstract record NodePartDetails
{
    /// <summary>
    /// Fields the part reported under other names before all parts shared one runner (public JSON: kept, never
    /// renamed). None by default.
    /// </summary>
    public virtual IEnumerable<KeyValuePair<string, JsonNode?>> EarlierFields(NodePartStatus status) => [];
}
