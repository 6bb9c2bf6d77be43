namespace Maille.Engine.Workloads;

/// <summary>
/// One of a Deployment's <c>status.conditions</c> (<c>Available</c>, <c>Progressing</c>) in its controller's words;
/// <see cref="Status"/> null is <c>Unknown</c> (a paused Deployment's Progressing).
/// </summary>
public sealed record DeploymentCondition(string Type, bool? Status, string Reason, string Message)
{
    /// <summary>The condition's status as the API writes it: True, False or Unknown.</summary>
    public string StatusText => Status switch { true => "True", false => "False", null => "Unknown" };
}
