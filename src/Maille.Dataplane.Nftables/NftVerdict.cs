namespace Maille.Dataplane.Nftables;

/// <summary>A verdict: <c>drop</c>, <c>accept</c>, <c>return</c>, <c>jump CHAIN</c> or <c>goto CHAIN</c>.</summary>
public sealed record NftVerdict(NftVerdictKind Kind, string? Chain = null)
{
    public static readonly NftVerdict Drop = new(NftVerdictKind.Drop);
    public static readonly NftVerdict Accept = new(NftVerdictKind.Accept);
    public static readonly NftVerdict Return = new(NftVerdictKind.Return);

    public static NftVerdict Goto(string chain) => new(NftVerdictKind.Goto, chain);

    public static NftVerdict Jump(string chain) => new(NftVerdictKind.Jump, chain);

    public override string ToString() => Kind switch
    {
        NftVerdictKind.Jump => $"jump {Chain}",
        NftVerdictKind.Goto => $"goto {Chain}",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
