namespace Maille.Model;

/// <summary>PeerAuthentication's <c>mtls.mode</c>. Unset inherits from the wider policy (PERMISSIVE when none says).</summary>
public enum MtlsMode
{
    Unset,
    Disable,
    Permissive,
    Strict,
}
