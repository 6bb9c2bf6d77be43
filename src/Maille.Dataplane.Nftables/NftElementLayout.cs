using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;

namespace Maille.Dataplane.Nftables;

/// <summary>
/// How the elements of one named set or map are laid out in the kernel, read from the set's declaration
/// (<c>type ipv4_addr . inet_proto . inet_service : verdict</c>, or a <c>typeof</c> line of the expressions Maille
/// uses), so an element's text can be written as netlink attributes without libnftables' parser. Sets this does not
/// know (intervals, timeouts, other types) have no layout and stay with the text path.
/// </summary>
public sealed class NftElementLayout
{
    private const int Register = 4;

    private NftElementLayout(NftFieldKind[] key, NftFieldKind[]? data, bool verdict)
    {
        Key = key;
        Data = data;
        IsVerdictMap = verdict;
    }

    public IReadOnlyList<NftFieldKind> Key { get; }

    /// <summary>The value's fields for a data map; null for a set or a verdict map.</summary>
    public IReadOnlyList<NftFieldKind>? Data { get; }

    public bool IsVerdictMap { get; }

    public int KeyLength => Key.Count * Register;

    public int DataLength => (Data?.Count ?? 0) * Register;

    /// <summary>The layout of <paramref name="set"/>, or null when its elements must go through libnftables.</summary>
    public static NftElementLayout? Of(NftSet set)
    {
        var declaration = set.Declaration;
        if (set.Dynamic || declaration.Contains("flags", StringComparison.Ordinal) || declaration.Contains("timeout", StringComparison.Ordinal))
        {
            return null;
        }

        var typed = declaration.StartsWith("typeof ", StringComparison.Ordinal);
        if (!typed && !declaration.StartsWith("type ", StringComparison.Ordinal))
        {
            return null;
        }

        var body = declaration[(typed ? 7 : 5)..];
        var colon = body.IndexOf(" : ", StringComparison.Ordinal);
        var key = Fields(colon < 0 ? body : body[..colon]);
        if (key is null)
        {
            return null;
        }

        if (colon < 0)
        {
            return new NftElementLayout(key, null, verdict: false);
        }

        var value = body[(colon + 3)..].Trim();
        if (value == "verdict")
        {
            return new NftElementLayout(key, null, verdict: true);
        }

        var data = Fields(value);
        return data is null ? null : new NftElementLayout(key, data, verdict: false);
    }

    /// <summary>Writes the fields of <paramref name="text"/> (<c>198.18.0.1 . tcp . 80</c>) into <paramref name="destination"/>, zero-padded.</summary>
    public static void Write(IReadOnlyList<NftFieldKind> fields, string text, Span<byte> destination)
    {
        destination[..(fields.Count * Register)].Clear();
        var rest = text.AsSpan();
        for (var i = 0; i < fields.Count; i++)
        {
            var separator = rest.IndexOf(NftElement.Separator);
            var part = separator < 0 ? rest : rest[..separator];
            if (separator < 0 != (i == fields.Count - 1))
            {
                throw new ArgumentException($"element '{text}' does not have {fields.Count} parts");
            }

            var slot = destination.Slice(i * Register, Register);
            switch (fields[i])
            {
                case NftFieldKind.Ipv4Address:
                    if (!IPAddress.TryParse(part, out var address) || !address.TryWriteBytes(slot, out var written) || written != 4)
                    {
                        throw new ArgumentException($"element '{text}': '{part}' is not an IPv4 address");
                    }

                    break;
                case NftFieldKind.Protocol:
                    slot[0] = part switch
                    {
                        "tcp" => 6,
                        "udp" => 17,
                        "sctp" => 132,
                        _ => byte.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture),
                    };
                    break;
                case NftFieldKind.Service:
                    BinaryPrimitives.WriteUInt16BigEndian(slot, ushort.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture));
                    break;
                case NftFieldKind.HostInteger:
                    var number = uint.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
                    MemoryMarshal.Write(slot, in number);
                    break;
            }

            rest = separator < 0 ? [] : rest[(separator + NftElement.Separator.Length)..];
        }
    }

    private static NftFieldKind[]? Fields(string expression)
    {
        var parts = expression.Split(" . ", StringSplitOptions.TrimEntries);
        var fields = new NftFieldKind[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            NftFieldKind? kind = parts[i] switch
            {
                "ipv4_addr" or "ip saddr" or "ip daddr" => NftFieldKind.Ipv4Address,
                "inet_proto" or "meta l4proto" => NftFieldKind.Protocol,
                "inet_service" or "th dport" or "th sport" or "tcp dport" or "udp dport" => NftFieldKind.Service,
                _ when parts[i].StartsWith("numgen random mod ", StringComparison.Ordinal) => NftFieldKind.HostInteger,
                _ => null,
            };
            if (kind is null)
            {
                return null;
            }

            fields[i] = kind.Value;
        }

        return fields;
    }
}
