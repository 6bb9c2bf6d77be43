using Maille.Dataplane.Linux.Flows;

namespace Maille.Lab.Observe;

/// <summary>What a node's kernel reported, as read, before it is named: a new connection or a logged denial.</summary>
internal sealed record RawFlow(string Node, DateTimeOffset Time, ConntrackEvent? Connection, NflogPacket? Denial);
