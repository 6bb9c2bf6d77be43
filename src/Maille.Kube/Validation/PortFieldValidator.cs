using System.Globalization;
using k8s.Models;
using Maille.Engine.Validation;

namespace Maille.Kube.Validation;

/// <summary>The port and protocol fields every kind shares: a number in range, a number or IANA name, a known protocol.</summary>
internal static class PortFieldValidator
{
    /// <summary>Core's list (<c>sets.List</c>, so sorted); NetworkPolicy passes its own order.</summary>
    private static readonly string[] Protocols = ["SCTP", "TCP", "UDP"];

    public static void ValidateNumber(FieldErrors errors, int port, string path)
    {
        if (!NameRules.IsValidPortNumber(port))
        {
            errors.Invalid(path, port, NameRules.PortRangeMessage);
        }
    }

    /// <summary>An IntOrString port: a number in range, or a valid IANA port name.</summary>
    public static void ValidateReference(FieldErrors errors, IntOrString? value, string path)
    {
        if (value?.Value is not { } text)
        {
            return;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            ValidateNumber(errors, number, path);
            return;
        }

        foreach (var problem in NameRules.PortName(text))
        {
            errors.Invalid(path, text, problem);
        }
    }

    /// <summary>TCP, UDP or SCTP (absent means TCP); <paramref name="supported"/> is the list in the message, in the kind's order.</summary>
    public static void ValidateProtocol(FieldErrors errors, string? protocol, string path, string[]? supported = null)
    {
        if (protocol is not (null or "" or "TCP" or "UDP" or "SCTP"))
        {
            errors.NotSupported(path, protocol, supported ?? Protocols);
        }
    }
}
