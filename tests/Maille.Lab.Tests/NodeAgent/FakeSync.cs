namespace Maille.Lab.Tests.NodeAgents;

/// <summary>One call of a <see cref="FakePart"/>: when (on the runner's clock), whether full, and the state asked for.</summary>
internal sealed record FakeSync(DateTimeOffset At, bool Full, string[] Desired);
