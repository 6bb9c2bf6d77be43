namespace Maille.Dataplane.Nftables;

/// <summary><c>update @SET { ip saddr }</c>: adds the source to a dynamic set, or refreshes its timeout.</summary>
internal sealed record NftSetUpdateStatement(NftField Field, string Set) : NftStatement
{
    public override string Text => $"update @{Set} {{ {NftFields.Text(Field)} }}";
}
