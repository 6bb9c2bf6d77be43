using System.Net;
using System.Text.RegularExpressions;

namespace Maille.Kube;

/// <summary>
/// Parses an IP address the way Go's net.ParseIP does: four dotted parts for IPv4. .NET alone would also take
/// "10.1" or "7" as IPv4 shorthand, which Kubernetes rejects (and which, as an Ingress host, is a DNS name).
/// Validators and the converter both read addresses through it, so what is refused is never converted differently.
/// </summary>
internal static partial class StrictIPAddress
{
    public static IPAddress? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || !IPAddress.TryParse(text, out var address))
        {
            return null;
        }

        return text.Contains(':', StringComparison.Ordinal) || DottedQuad().IsMatch(text) ? address : null;
    }

    [GeneratedRegex(@"^[0-9]{1,3}(\.[0-9]{1,3}){3}$")]
    private static partial Regex DottedQuad();
}
