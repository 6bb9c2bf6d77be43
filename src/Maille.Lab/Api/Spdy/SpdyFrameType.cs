namespace Maille.Lab.Api.Spdy;

/// <summary>
/// The frame types of SPDY/3.1 (draft-mbelshe-httpbis-spdy-00 §2.2, §2.6); control frames carry theirs on the wire,
/// <see cref="Data"/> stands for a data frame (control bit clear). A control type the reader does not know keeps its
/// number: the protocol says to ignore such frames.
/// </summary>
internal enum SpdyFrameType : ushort
{
    Data = 0,
    SynStream = 1,
    SynReply = 2,
    RstStream = 3,
    Settings = 4,
    Ping = 6,
    GoAway = 7,
    Headers = 8,
    WindowUpdate = 9,
}
