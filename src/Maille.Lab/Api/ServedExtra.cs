namespace Maille.Lab.Api;

/// <summary>
/// What, besides its model, makes a served object what it is: the text the user wrote (the same string instance while
/// the document is unchanged, so comparing is mostly a reference check), or for an object the lab made from a
/// workload's template, that workload's text; a node's readiness, a namespace's deletion.
/// Two equal values with equal models are the same object, unchanged (<see cref="ObjectVersions"/>).
/// </summary>
internal sealed record ServedExtra(string? Written, string? Template, bool? NodeReady, DateTimeOffset? Terminating)
{
    public static ServedExtra None { get; } = new(null, null, null, null);
}
