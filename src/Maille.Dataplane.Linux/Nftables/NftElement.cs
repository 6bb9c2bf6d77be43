using Maille.Model;

namespace Maille.Dataplane.Linux.Nftables;

/// <summary>
/// One element of a named set or map: its key parts (<c>198.18.128.10 . tcp . 80</c>), and for a map either the data
/// parts (<c>198.19.1.10 . 8080</c>) or a verdict. Key parts that hold a <c>/</c> are networks of an interval set.
/// </summary>
internal sealed record NftElement(EquatableArray<string> Key, EquatableArray<string> Data, NftVerdict? Verdict = null)
{
    public static NftElement Member(params string[] key) => new(key, EquatableArray<string>.Empty);

    public string KeyText => string.Join(" . ", Key);

    public string Text => Verdict is not null ? $"{KeyText} : {Verdict}" : Data.IsEmpty ? KeyText : $"{KeyText} : {string.Join(" . ", Data)}";

    public override string ToString() => Text;
}
