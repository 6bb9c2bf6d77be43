using Spectre.Console;

namespace Maille.Cli.Output;

/// <summary>A Spectre.Console console writing to any <see cref="TextWriter"/>: no colour codes unless it is a terminal, and a fixed width so output never wraps differently between machines.</summary>
internal static class PlainConsole
{
    public static IAnsiConsole Create(TextWriter writer)
    {
        var terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = terminal ? Math.Max(Console.WindowWidth, 100) : 160;
        return console;
    }
}
