namespace Maille.Dataplane.Nftables;

/// <summary>
/// One element of a named set or map, in nftables' own text: its key (<c>198.18.128.10 . tcp . 80</c>), and for a map
/// either its data (<c>198.19.1.10 . 8080</c>) or a verdict. Key parts that hold a <c>/</c> are networks of an
/// interval set. Kept as text: a table of 100,000 elements is rendered, diffed by key and written without splitting
/// them into parts (only the tracer does, <see cref="KeyParts"/>).
/// </summary>
public sealed record NftElement(string Key, string? Data = null, NftVerdict? Verdict = null)
{
    public const string Separator = " . ";

    public static NftElement Member(params string[] key) => new(string.Join(Separator, key));

    public string[] KeyParts => Key.Split(Separator);

    public string[] DataParts => Data?.Split(Separator) ?? [];

    public string Text => Verdict is not null ? $"{Key} : {Verdict}" : Data is null ? Key : $"{Key} : {Data}";

    public override string ToString() => Text;
}
