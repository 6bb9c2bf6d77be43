using System.Collections.Immutable;
using Maille.Engine.NetworkPolicies;

namespace Maille.Engine.Flows;

/// <summary>
/// Connections seen from pod <see cref="From"/> to pod <see cref="To"/> on one port that the current policies allow and
/// the candidate's deny: <see cref="Candidate"/> says which isolation denies them (null when the candidate has no such
/// pod), <see cref="Current"/> which rules allow them now.
/// </summary>
/// <param name="Connections">How many distinct connections (client ports) were seen.</param>
/// <param name="Nodes">The nodes that saw them, in name order.</param>
public sealed record FlowCut(string From, string To, PortProtocol Port, int Connections, ImmutableArray<string> Nodes, Verdict Current, Verdict? Candidate);
