namespace Maille.Dataplane.Nftables;

/// <summary>nftables verdicts the service rules use.</summary>
public enum NftVerdictKind
{
    Accept,
    Drop,
    Return,
    Jump,
    Goto,
}
