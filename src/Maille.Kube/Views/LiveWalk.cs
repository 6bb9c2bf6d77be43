using System.Text.Json.Nodes;
using Maille.Engine.Trace;

namespace Maille.Kube.Views;

/// <summary>A running lab's walk of a traced connection through its live rules (null when there is none), and its sentences.</summary>
public sealed record LiveWalk(Func<TraceSource, TraceTarget, TraceResult, JsonNode?> Walk, Action<TextWriter, JsonNode> WriteText);
