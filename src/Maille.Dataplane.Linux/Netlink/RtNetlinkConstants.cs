namespace Maille.Dataplane.Linux.Netlink;

/// <summary>Values from linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/neighbour.h.</summary>
internal static class RtNetlinkConstants
{
    public const ushort NlmsgError = 2;
    public const ushort NlmsgDone = 3;

    public const ushort FlagRequest = 0x1;
    public const ushort FlagAck = 0x4;
    public const ushort FlagAckTlvs = 0x200;
    public const ushort FlagReplace = 0x100;
    public const ushort FlagExclusive = 0x200;
    public const ushort FlagCreate = 0x400;
    public const ushort FlagAppend = 0x800;

    public const ushort NewLink = 16;
    public const ushort DeleteLinkMessage = 17;
    public const ushort GetLink = 18;
    public const ushort NewAddress = 20;
    public const ushort DelAddress = 21;
    public const ushort NewRoute = 24;
    public const ushort NewNeighbour = 28;

    public const byte AfUnspec = 0;
    public const byte AfInet = 2;
    public const byte AfBridge = 7;

    public const uint IffUp = 1;

    public const ushort IflaAddress = 1;
    public const ushort IflaIfName = 3;
    public const ushort IflaMtu = 4;
    public const ushort IflaMaster = 10;
    public const ushort IflaLinkInfo = 18;
    public const ushort IflaNetNsFd = 28;
    public const ushort IflaInfoKind = 1;
    public const ushort IflaInfoData = 2;
    public const ushort VethInfoPeer = 1;

    public const ushort IflaVxlanId = 1;
    public const ushort IflaVxlanLink = 3;
    public const ushort IflaVxlanLocal = 4;
    public const ushort IflaVxlanLearning = 7;
    public const ushort IflaVxlanPort = 15;

    public const ushort IfaAddress = 1;
    public const ushort IfaLocal = 2;

    public const ushort RtaDst = 1;
    public const ushort RtaOif = 4;
    public const ushort RtaGateway = 5;
    public const byte RtTableMain = 254;
    public const byte RtProtocolBoot = 3;
    public const byte RtnUnicast = 1;
    public const uint RtnhFlagOnLink = 4;

    public const ushort NdaDst = 1;
    public const ushort NdaLinkLayerAddress = 2;
    public const ushort NudNoArp = 0x40;
    public const ushort NudPermanent = 0x80;
    public const byte NtfSelf = 0x02;

    public const ushort NlmsgerrAttrMessage = 1;
    public const ushort NestedFlag = 0x8000;
}
