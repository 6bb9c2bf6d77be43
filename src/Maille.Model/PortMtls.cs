namespace Maille.Model;

/// <summary>One entry of a PeerAuthentication's <c>portLevelMtls</c>.</summary>
public sealed record PortMtls(int Port, MtlsMode Mode);
