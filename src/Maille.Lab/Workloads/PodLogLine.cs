namespace Maille.Lab.Workloads;

/// <summary>One line of a pod container's log, with when it was written (<c>kubectl logs --timestamps</c>).</summary>
public sealed record PodLogLine(DateTimeOffset Time, string Text);
