namespace Maille.Lab.Labs;

/// <summary>
/// When a process started, read from <c>/proc/PID/stat</c> (field 22, clock ticks after boot): with the pid it names one
/// process, since pids are reused. A daemon watches the agents it adopted with it, as it cannot wait for a process that
/// is not its child.
/// </summary>
internal static class ProcessStart
{
    /// <summary>The start of <paramref name="pid"/>; null when no such process runs (gone, or a zombie waiting for its parent).</summary>
    public static ulong? Of(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces: the fields are counted after its end.
        var afterName = stat.LastIndexOf(')');
        if (afterName < 0)
        {
            return null;
        }

        var fields = stat[(afterName + 2)..].Split(' ');
        // fields[0] is the state (field 3), so field 22 is fields[19].
        return fields.Length > 19 && fields[0] != "Z" && ulong.TryParse(fields[19], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
            ? ticks
            : null;
    }
}
