namespace Maille.Cli.Lab;

/// <summary>
/// The GC's gen0 budget for Maille's processes: the `maille` script exports it for the CLI, and the daemon's launch
/// sets it when the user has not. Kept in step with the script by <c>YoungGenerationBudgetTests</c>.
/// </summary>
internal static class YoungGenerationBudget
{
    public const string Variable = "DOTNET_GCgen0size";

    /// <summary>16 MiB, in the hexadecimal the runtime reads this variable as.</summary>
    public const string Value = "0x1000000";
}
