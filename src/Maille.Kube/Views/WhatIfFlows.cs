using System.Collections.Immutable;
using Maille.Engine.Flows;

namespace Maille.Kube.Views;

/// <summary>
/// The flows part of <c>maille apply --dry-run=impact</c>: which seen flows the change would cut, what "seen" means
/// (<see cref="IRecentFlows.Window"/>), what could not be read, and whether the lab deletes the established
/// connections a change denies (<c>up --flush-denied-connections</c>) or leaves them to close on their own.
/// </summary>
public sealed record WhatIfFlows(FlowImpact Impact, string Window, ImmutableArray<string> Errors, bool FlushesDenied);
