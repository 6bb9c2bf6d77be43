using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Maille.Dataplane.Linux.Netlink;

/// <summary>
/// Appends netlink messages (header, fixed family header, attributes, nested attributes) to one buffer,
/// keeping every length and padding the kernel expects (4-byte alignment, lengths including padding as
/// iproute2's addattr_l does).
/// </summary>
internal sealed class NetlinkMessageWriter
{
    private const int HeaderBytes = 16;
    private byte[] _buffer = new byte[64 * 1024];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public ReadOnlySpan<byte> Slice(int start, int length) => _buffer.AsSpan(start, length);

    public void Clear() => Length = 0;

    /// <summary>Starts a message and returns its offset, to be passed to <see cref="EndMessage"/>.</summary>
    public int BeginMessage(ushort type, ushort flags, uint sequence)
    {
        var start = Length;
        var header = Reserve(HeaderBytes);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], sequence);
        return start;
    }

    /// <summary>Clears <paramref name="flags"/> in the header of the message that starts at <paramref name="start"/>.</summary>
    public void ClearFlags(int start, ushort flags)
    {
        var header = _buffer.AsSpan(start + 6, 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(header) & ~flags));
    }

    public void EndMessage(int start) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(start), (uint)(Length - start));

    /// <summary>Reserves zeroed, 4-byte-padded room for a fixed header (ifinfomsg, rtmsg...) and returns it.</summary>
    public Span<byte> Reserve(int count)
    {
        var padded = Align(count);
        if (Length + padded > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + padded));
        }

        var span = _buffer.AsSpan(Length, padded);
        span.Clear();
        Length += padded;
        return span[..count];
    }

    public void Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        var attribute = Reserve(4 + value.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute[2..], type);
        value.CopyTo(attribute[4..]);
    }

    public void AttributeU8(ushort type, byte value) => Attribute(type, [value]);

    public void AttributeU32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Attribute(type, bytes);
    }

    public void AttributeU16BigEndian(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        Attribute(type, bytes);
    }

    /// <summary>A NUL-terminated string attribute (IFLA_IFNAME, IFLA_INFO_KIND).</summary>
    public void AttributeString(ushort type, string value)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        bytes[^1] = 0;
        Attribute(type, bytes);
    }

    /// <summary>An address in network byte order (4 bytes for IPv4, 16 for IPv6).</summary>
    public void AttributeAddress(ushort type, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        Attribute(type, bytes[..written]);
    }

    public int BeginNested(ushort type)
    {
        var start = Length;
        var attribute = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(attribute[2..], type);
        return start;
    }

    public void EndNested(int start) => BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(Length - start));

    private static int Align(int count) => (count + 3) & ~3;
}
