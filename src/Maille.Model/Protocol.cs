namespace Maille.Model;

/// <summary>The transport protocols a Service, a container port or a policy port may name.</summary>
public enum Protocol
{
    TCP,
    UDP,
    SCTP,
}
