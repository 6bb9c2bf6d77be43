namespace Maille.Dataplane.Linux.Tests.Nftables;

/// <summary>How a test connection ended: the server answered, the connection was refused (reset or ICMP), or nothing came back.</summary>
internal enum AnswerKind
{
    Answered,
    Refused,
    TimedOut,
}
