namespace Maille.Dataplane.Linux.Netlink;

/// <summary>The kernel refused a netlink request: the errno, the kernel's extended-ack message if any, and the request.</summary>
internal sealed class NetlinkException : IOException
{
    public NetlinkException(int errno, string request, string? kernelMessage)
        : base(Describe(errno, request, kernelMessage), errno)
    {
        Errno = errno;
        Request = request;
        KernelMessage = kernelMessage;
    }

    public NetlinkException()
        : this(0, "", null)
    {
    }

    public NetlinkException(string message)
        : base(message)
    {
        Request = "";
    }

    public NetlinkException(string message, Exception innerException)
        : base(message, innerException)
    {
        Request = "";
    }

    public int Errno { get; }

    public string Request { get; }

    public string? KernelMessage { get; }

    private static string Describe(int errno, string request, string? kernelMessage) =>
        $"netlink request failed: {request}: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})"
        + (string.IsNullOrEmpty(kernelMessage) ? "" : $": {kernelMessage}");
}
