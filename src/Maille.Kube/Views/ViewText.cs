namespace Maille.Kube.Views;

/// <summary>
/// What a read of a cluster prints, and its exit code: the same whether the CLI computed it from manifests or a lab's
/// daemon computed it from the plan it runs (and sent it back over its API).
/// </summary>
public sealed record ViewText(string Stdout, string Stderr, int ExitCode)
{
    /// <summary>Runs <paramref name="view"/> with writers of its own and keeps what it wrote.</summary>
    public static ViewText Capture(Func<TextWriter, TextWriter, int> view)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = view(stdout, stderr);
        return new ViewText(stdout.ToString(), stderr.ToString(), code);
    }
}
