using Maille.Lab.NodeAgents;

namespace Maille.Lab.Tests.NodeAgents;

/// <summary>What a <see cref="FakePart"/> holds.</summary>
internal sealed record FakeDetails : NodePartDetails
{
    public int Entries { get; init; }
}
