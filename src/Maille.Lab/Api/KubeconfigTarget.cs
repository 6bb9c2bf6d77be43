using System.Diagnostics;
using System.Globalization;

namespace Maille.Lab.Api;

/// <summary>
/// Which kubeconfig <c>maille up</c> and <c>maille down</c> edit, as kubectl and kind choose it: <c>--kubeconfig</c>,
/// else the first file in <c>KUBECONFIG</c>, else <c>~/.kube/config</c>. Under sudo the home and the owner are the
/// invoking user's (<c>SUDO_USER</c>, <c>SUDO_UID</c>, <c>SUDO_GID</c>), so that their kubectl finds the lab and can read it.
/// </summary>
public sealed record KubeconfigTarget(string Path, (uint User, uint Group)? Owner)
{
    public static KubeconfigTarget Resolve(string? explicitPath, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var owner = SudoOwner(environment);
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return new KubeconfigTarget(System.IO.Path.GetFullPath(explicitPath), owner);
        }

        if (environment("KUBECONFIG")?.Split(':', StringSplitOptions.RemoveEmptyEntries) is [var first, ..])
        {
            return new KubeconfigTarget(System.IO.Path.GetFullPath(first), owner);
        }

        var home = owner is not null && environment("SUDO_USER") is { Length: > 0 } user ? HomeOf(user) : null;
        home ??= environment("HOME") is { Length: > 0 } own ? own : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new KubeconfigTarget(System.IO.Path.Combine(home, ".kube", "config"), owner);
    }

    /// <summary>The invoking user under sudo (not root itself), from the variables sudo sets.</summary>
    private static (uint, uint)? SudoOwner(Func<string, string?> environment) =>
        uint.TryParse(environment("SUDO_UID"), NumberStyles.None, CultureInfo.InvariantCulture, out var uid) && uid != 0
        && uint.TryParse(environment("SUDO_GID"), NumberStyles.None, CultureInfo.InvariantCulture, out var gid)
            ? (uid, gid)
            : null;

    /// <summary>A user's home directory as the system's user database has it (<c>getent passwd</c>: files, LDAP, …).</summary>
    private static string? HomeOf(string user)
    {
        try
        {
            var start = new ProcessStartInfo("getent") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("passwd");
            start.ArgumentList.Add(user);
            using var process = Process.Start(start)!;
            var line = process.StandardOutput.ReadToEnd();
            process.WaitForExit(5000);
            return line.Split(':') is { Length: >= 7 } fields && fields[5].Length > 0 ? fields[5] : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
