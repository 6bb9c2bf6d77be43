namespace Maille.Dataplane.Linux.Tests;

/// <summary>Unique lab names, so test classes can run in parallel without meeting.</summary>
internal static class TestNames
{
    public static string NewLab()
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return "t" + new string(Random.Shared.GetItems(Alphabet.AsSpan(), 6));
    }
}
