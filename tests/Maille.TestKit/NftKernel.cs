namespace Maille.TestKit;

/// <summary>The <c>nft</c> command in a named network namespace, for tests that look at (or tamper with) the kernel's tables.</summary>
public static class NftKernel
{
    public static string Run(string namespaceName, string command) =>
        HostNetworkSnapshot.Run(["netns", "exec", namespaceName, "nft", .. command.Split(' ')]);

    /// <summary>
    /// A table as the kernel lists it, for comparing: lines and elements sorted (elements come in hash order), counter
    /// values cut (they count packets). Empty when the table does not exist.
    /// </summary>
    public static string Table(string namespaceName, string table)
    {
        var text = Run(namespaceName, $"list table {table}");
        var parts = text.Split(['\n', ',', '{', '}'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join("\n", parts.Where(p => p.Length > 0 && !p.StartsWith("packets ", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    public static bool HasTable(string namespaceName, string table) =>
        Run(namespaceName, "list tables").Contains($"table {table}\n", StringComparison.Ordinal);
}
