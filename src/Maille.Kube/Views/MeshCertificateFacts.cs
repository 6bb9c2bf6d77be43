namespace Maille.Kube.Views;

/// <summary>A meshed pod's current workload certificate, as its node proxy holds it (a running lab only).</summary>
public sealed record MeshCertificateFacts(string Serial, DateTimeOffset NotBefore, DateTimeOffset NotAfter);
