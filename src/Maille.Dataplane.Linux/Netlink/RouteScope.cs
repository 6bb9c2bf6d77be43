namespace Maille.Dataplane.Linux.Netlink;

/// <summary>rtm_scope values (linux/rtnetlink.h).</summary>
public enum RouteScope : byte
{
    Universe = 0,
    Link = 253,
    Host = 254,
}
