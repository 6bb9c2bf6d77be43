using Maille.Model;

namespace Maille.Dataplane.Nftables;

/// <summary>A rule: every match must hold, then the statements run in order. <see cref="Comment"/> says why it exists.</summary>
public sealed record NftRule(EquatableArray<NftMatch> Matches, EquatableArray<NftStatement> Statements, string? Comment = null)
{
    public static NftRule Of(NftStatement statement, string? comment = null) => new(EquatableArray<NftMatch>.Empty, new[] { statement }, comment);

    public static NftRule Of(NftMatch match, NftStatement statement, string? comment = null) => new(new[] { match }, new[] { statement }, comment);

    public static NftRule Of(NftMatch first, NftMatch second, NftStatement statement, string? comment = null) =>
        new(new[] { first, second }, new[] { statement }, comment);

    public string Text
    {
        get
        {
            var text = string.Join(" ", Matches.Select(m => m.Text).Concat(Statements.Select(s => s.Text)));
            return Comment is null ? text : $"{text} comment \"{Comment}\"";
        }
    }

    public override string ToString() => Text;
}
