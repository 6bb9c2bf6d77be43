using System.Collections.Immutable;

namespace Maille.Engine.Flows;

/// <summary>What an <see cref="IRecentFlows"/> read: the flows, and one message per node (or part) it could not read.</summary>
public sealed record RecentFlowRead(ImmutableArray<RecentFlow> Flows, ImmutableArray<string> Errors);
