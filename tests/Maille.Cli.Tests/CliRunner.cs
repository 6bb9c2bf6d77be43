namespace Maille.Cli.Tests;

/// <summary>Runs the <c>maille</c> command in-process, capturing what it prints.</summary>
internal static class CliRunner
{
    public static (int ExitCode, string Stdout, string Stderr) RunWithStdin(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, new StringReader(stdin), stdout, stderr);
        return (code, stdout.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), stderr.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => RunWithStdin("", args);
}
