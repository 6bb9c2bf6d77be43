namespace Maille.Cli;

/// <summary>The streams a command reads and writes, so that tests can run commands in-process.</summary>
internal sealed record CliContext(TextReader Stdin, TextWriter Stdout, TextWriter Stderr);
