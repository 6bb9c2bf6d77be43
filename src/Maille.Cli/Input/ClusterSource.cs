namespace Maille.Cli.Input;

/// <summary>A running cluster to read instead of files: a kubeconfig (else KUBECONFIG, else ~/.kube/config) and one of its contexts (else its current one).</summary>
internal sealed record ClusterSource(string? Kubeconfig, string? Context);
