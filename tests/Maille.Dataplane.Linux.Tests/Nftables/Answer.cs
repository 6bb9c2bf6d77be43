using System.Net;

namespace Maille.Dataplane.Linux.Tests.Nftables;

/// <summary>What one connection through a Service got: the pod that answered and the client address it saw, or why not.</summary>
internal sealed record Answer(AnswerKind Kind, string? Pod, IPAddress? SeenClient, TimeSpan Elapsed);
