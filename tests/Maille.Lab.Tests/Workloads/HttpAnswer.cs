using System.Net;

namespace Maille.Lab.Tests.Workloads;

/// <summary>One HTTP response as a probe read it, and the client address it was sent from.</summary>
internal sealed record HttpAnswer(int Status, string ContentType, string Body, IPEndPoint Client);
