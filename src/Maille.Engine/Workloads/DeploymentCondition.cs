namespace Maille.Engine.Workloads;

/// <summary>One of a Deployment's <c>status.conditions</c> (<c>Available</c>, <c>Progressing</c>) in its controller's words.</summary>
public sealed record DeploymentCondition(string Type, bool Status, string Reason, string Message);
