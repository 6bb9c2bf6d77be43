namespace Maille.Model;

/// <summary>
/// A NetworkPolicy <c>ipBlock</c>. The raw strings are kept for validation and messages; the parsed networks are
/// null when the text is not a valid CIDR (validation reports it). A CIDR with host bits set means its network.
/// </summary>
public sealed record IpBlock(string Cidr, EquatableArray<string> Except)
{
    public System.Net.IPNetwork? Network { get; } = TryParse(Cidr);

    public EquatableArray<System.Net.IPNetwork> ExceptNetworks { get; } =
        new(Except.Select(TryParse).Where(n => n is not null).Select(n => n!.Value));

    public bool Contains(System.Net.IPAddress address) =>
        Network is { } network && network.Contains(address) && !ExceptNetworks.Any(e => e.Contains(address));

    public static System.Net.IPNetwork? TryParse(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !System.Net.IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix))
        {
            return null;
        }

        var bits = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
        return prefix > bits ? null : IpMath.Network(address, prefix);
    }
}
