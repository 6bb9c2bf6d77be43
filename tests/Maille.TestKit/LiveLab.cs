using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Maille.TestKit;

/// <summary>
/// The one live-lab harness: a lab of the test's own, driven through the repository's <c>./maille</c> as a user would
/// (<see cref="MailleProcess"/>). It has a fresh name with a hyphen (every live test also checks that such names work
/// end to end) and a folder for the test's manifest files. Disposing runs <c>maille down --lab NAME</c>, which removes
/// the lab's namespaces, whatever happened (also when <c>up</c> failed, or the test took the lab down itself; not when
/// no command was ever run for the lab), then deletes the folder. Each command and its exit code go to the test's output when one is given.
/// </summary>
internal sealed class LiveLab : IDisposable
{
    private readonly ITestOutputHelper? _output;
    private readonly string[] _labOptions;
    private bool _used;

    private LiveLab(ITestOutputHelper? output, string[] labOptions)
    {
        _output = output;
        _labOptions = labOptions;
        Name = NewName();
        Folder = Directory.CreateTempSubdirectory("maille-" + Name + "-").FullName;
    }

    public string Name { get; }

    /// <summary>The test's manifest files (<see cref="File"/>), deleted on dispose.</summary>
    public string Folder { get; }

    /// <summary>
    /// A fresh lab name, with a hyphen: <c>t-</c> and eight hex digits, or <c>MAILLE_TEST_LAB_PREFIX</c>'s prefix instead of
    /// <c>t-</c>, so that engineers who share a machine can tell (and take down) their own tests' labs.
    /// </summary>
    public static string NewName() =>
        (Environment.GetEnvironmentVariable("MAILLE_TEST_LAB_PREFIX") is { Length: > 0 } prefix ? prefix : "t-") + Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// A lab name and folder, nothing brought up yet: for a test that runs <c>up</c> itself and judges its result.
    /// <paramref name="labOptions"/> (such as <c>--kubeconfig FILE</c>) go with every command, <c>down</c> included.
    /// </summary>
    public static LiveLab Create(ITestOutputHelper? output = null, params string[] labOptions) => new(output, labOptions);

    /// <summary>
    /// A lab brought up from <paramref name="manifests"/> (with <c>up</c>'s <paramref name="upOptions"/>), which must
    /// succeed; when it does not, whatever was made is taken down and the test fails with <c>up</c>'s message.
    /// </summary>
    public static LiveLab Up(string manifests, ITestOutputHelper? output = null, params string[] upOptions)
    {
        var lab = Create(output);
        try
        {
            lab.Succeed(["up", "-f", lab.File("lab.yaml", manifests), .. upOptions]);
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary><see cref="Up(string, ITestOutputHelper?, string[])"/> in the data plane <paramref name="dataplane"/> (<c>--dataplane</c>).</summary>
    public static LiveLab Up(string manifests, ITestOutputHelper? output, Maille.Model.DataplaneKind dataplane) =>
        Up(manifests, output, "--dataplane", dataplane == Maille.Model.DataplaneKind.Ebpf ? "ebpf" : "nftables");

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in the lab's folder; returns its path.</summary>
    public string File(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs <c>maille ARGUMENTS --lab NAME</c>.</summary>
    public (int ExitCode, string Stdout, string Stderr) Run(params string[] arguments)
    {
        _used = true;
        var run = MailleProcess.Run([.. arguments, "--lab", Name, .. _labOptions]);
        _output?.WriteLine($"[lab {Name}] maille {string.Join(' ', arguments)}: exit {run.ExitCode}");
        return run;
    }

    /// <summary>Runs <c>maille exec --lab NAME TARGET -- COMMAND</c> (the lab named before <c>--</c>, which ends maille's options).</summary>
    public (int ExitCode, string Stdout, string Stderr) Exec(string target, params string[] command)
    {
        _used = true;
        var run = MailleProcess.Run(["exec", "--lab", Name, .. _labOptions, target, "--", .. command]);
        _output?.WriteLine($"[lab {Name}] maille exec {target} -- {string.Join(' ', command)}: exit {run.ExitCode}");
        return run;
    }

    /// <summary>Runs a command that must succeed, and returns what it printed.</summary>
    public string Succeed(params string[] arguments)
    {
        var (exitCode, stdout, stderr) = Run(arguments);
        Assert.True(exitCode == 0, $"maille {string.Join(' ', arguments)} exited with {exitCode}: {stderr}{stdout}");
        return stdout;
    }

    /// <summary><c>maille get ARGUMENTS --lab NAME -o json</c>, which must succeed.</summary>
    public JsonNode Get(params string[] arguments) => JsonNode.Parse(Succeed(["get", .. arguments, "-o", "json"]))!;

    public void Dispose()
    {
        if (_used)
        {
            Run("down");
        }

        Directory.Delete(Folder, recursive: true);
    }
}
