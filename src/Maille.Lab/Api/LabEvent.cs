namespace Maille.Lab.Api;

/// <summary>
/// One event, as core/v1 <c>Event</c> holds it: what happened (<see cref="Reason"/>, <see cref="Message"/>, Normal or
/// Warning) to which object, said by which component, how many times between the first and the last time. Repeats of
/// the same event are one event with a count, as the API server's clients aggregate them.
/// </summary>
/// <param name="Namespace">Where the event lives: its object's namespace, or <c>default</c> for a cluster-scoped one (a node).</param>
internal sealed record LabEvent(
    string Name,
    string Namespace,
    string Uid,
    EventSubject Subject,
    string Type,
    string Reason,
    string Message,
    string Component,
    string? Host,
    DateTimeOffset FirstTimestamp,
    DateTimeOffset LastTimestamp,
    int Count)
{
    /// <summary>What makes two events repeats of one: the same object, reason, message, type and source.</summary>
    public (EventSubject, string, string, string, string, string?) AggregationKey => (Subject, Type, Reason, Message, Component, Host);
}
