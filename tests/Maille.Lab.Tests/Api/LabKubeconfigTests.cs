using k8s;
using Maille.Lab.Api;
using Maille.TestKit;

namespace Maille.Lab.Tests.Api;

/// <summary>
/// The kubeconfig contract of issue 15: <c>maille up</c> merges a cluster, a user and a context named maille-LAB and
/// makes the context current; <c>maille down</c> removes them; everything else in the user's file stays as it was.
/// </summary>
public sealed class LabKubeconfigTests : IDisposable
{
    private const string Theirs = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: prod
          cluster:
            server: https://prod.example:6443
            proxy-url: http://proxy.example:3128
        users:
        - name: prod-admin
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: get-token
              args: [--cluster, prod]
        contexts:
        - name: prod
          context: {cluster: prod, user: prod-admin, namespace: shop}
        current-context: prod
        preferences: {}
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "maille-kubeconfig-" + Guid.NewGuid().ToString("N")[..8]);

    private LabCredentials Credentials => field ??= LabCredentials.LoadOrCreate(Path.Combine(_directory, "pki"));

    [Fact]
    public void TheStandaloneFile_HasOneClusterUserAndContext_CurrentAndLoadableByTheClientLibrary()
    {
        var path = Write("standalone", LabKubeconfig.Standalone("play", 43210, Credentials));

        var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path));
        var client = KubernetesClientConfiguration.BuildConfigFromConfigFile(new FileInfo(path));

        Assert.Equal("maille-play", config.CurrentContext);
        Assert.Equal("maille-play", Assert.Single(config.Clusters).Name);
        Assert.Equal("maille-play", Assert.Single(config.Users).Name);
        Assert.Equal("maille-play", Assert.Single(config.Contexts).Name);
        Assert.Equal("https://127.0.0.1:43210/", client.Host.TrimEnd('/') + "/");
        Assert.NotNull(client.ClientCertificateData);
        Assert.Equal(Credentials.Authority.Thumbprint, Assert.Single(client.SslCaCerts!).Thumbprint);
    }

    [Fact]
    public void Merging_AddsTheLabBesideTheUsersEntries_KeepsFieldsMailleDoesNotKnow_AndMakesTheLabCurrent()
    {
        var path = Write("config", Theirs);

        LabKubeconfig.Merge(path, LabKubeconfig.Standalone("play", 43210, Credentials));

        var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path));
        Assert.Equal("maille-play", config.CurrentContext);
        Assert.Equal(["prod", "maille-play"], config.Clusters.Select(c => c.Name));
        Assert.Equal(["prod-admin", "maille-play"], config.Users.Select(u => u.Name));
        Assert.Equal(["prod", "maille-play"], config.Contexts.Select(c => c.Name));
        var text = File.ReadAllText(path);
        Assert.Contains("proxy-url: http://proxy.example:3128", text, StringComparison.Ordinal);
        Assert.Contains("command: get-token", text, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void MergingAgain_ReplacesTheLabsEntries_NeverDuplicatesThem()
    {
        var path = Write("config", Theirs);

        LabKubeconfig.Merge(path, LabKubeconfig.Standalone("play", 43210, Credentials));
        LabKubeconfig.Merge(path, LabKubeconfig.Standalone("play", 43211, Credentials));

        var config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path));
        Assert.Equal(2, config.Clusters.Count());
        Assert.Equal("https://127.0.0.1:43211", config.Clusters.Single(c => c.Name == "maille-play").ClusterEndpoint.Server);
    }

    [Fact]
    public void Removing_TakesOutOnlyTheLab_AndClearsTheCurrentContextWhenItWasTheLabs()
    {
        var path = Write("config", Theirs);
        LabKubeconfig.Merge(path, LabKubeconfig.Standalone("play", 43210, Credentials));
        LabKubeconfig.Merge(path, LabKubeconfig.Standalone("other", 43220, Credentials));

        Assert.True(LabKubeconfig.Remove(path, "maille-play"));        // not current: maille-other is
        var afterPlay = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path));
        Assert.True(LabKubeconfig.Remove(path, "maille-other"));       // current
        var afterOther = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path));

        Assert.Equal("maille-other", afterPlay.CurrentContext);
        Assert.Equal(["prod", "maille-other"], afterPlay.Contexts.Select(c => c.Name));
        Assert.True(string.IsNullOrEmpty(afterOther.CurrentContext));
        Assert.Equal(["prod"], afterOther.Contexts.Select(c => c.Name));
        Assert.Equal(["prod-admin"], afterOther.Users.Select(u => u.Name));
        Assert.False(LabKubeconfig.Remove(path, "maille-other"));
        Assert.False(LabKubeconfig.Remove(Path.Combine(_directory, "missing"), "maille-other"));
    }

    [Fact]
    public void LabsMergedAndRemovedAtTheSameTime_AllLand_BecauseEachEditHoldsKubectlsLockFile()
    {
        var path = Write("config", Theirs);
        var labs = Enumerable.Range(0, 12).Select(i => $"lab{i}").ToList();
        var credentials = Credentials;

        Parallel.ForEach(labs, new ParallelOptions { MaxDegreeOfParallelism = 12 }, (lab, _, i) =>
            LabKubeconfig.Merge(path, LabKubeconfig.Standalone(lab, 43000 + (int)i, credentials)));
        var merged = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path));
        Parallel.ForEach(labs.Where((_, i) => i % 2 == 0), new ParallelOptions { MaxDegreeOfParallelism = 6 }, lab =>
            LabKubeconfig.Remove(path, LabKubeconfig.ContextName(lab)));
        var removed = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path));

        Assert.Equal(labs.Select(LabKubeconfig.ContextName).Append("prod").Order(), merged.Contexts.Select(c => c.Name).Order());
        Assert.Equal(labs.Where((_, i) => i % 2 == 1).Select(LabKubeconfig.ContextName).Append("prod").Order(), removed.Contexts.Select(c => c.Name).Order());
        Assert.False(File.Exists(path + ".lock"));
    }

    [Fact]
    public async Task ALockFileLeftByADeadProcess_IsTakenOverOnceStale_AFreshOneIsWaitedFor()
    {
        var path = Write("config", Theirs);
        File.WriteAllText(path + ".lock", "");
        File.SetLastWriteTimeUtc(path + ".lock", DateTime.UtcNow.AddMinutes(-5));

        LabKubeconfig.Merge(path, LabKubeconfig.Standalone("play", 43210, Credentials));
        File.WriteAllText(path + ".lock", "");
        var waiting = Task.Run(() => LabKubeconfig.Merge(path, LabKubeconfig.Standalone("other", 43220, Credentials)));
        var first = await Task.WhenAny(waiting, Task.Delay(300));
        File.Delete(path + ".lock");
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotSame(waiting, first);
        Assert.Equal(["prod", "maille-play", "maille-other"], KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path)).Contexts.Select(c => c.Name));
    }

    [SkippableFact]
    public void UnderSudo_MergingAndRemoving_LeaveTheFileTheInvokingUsers()
    {
        Privileged.Require();   // only root can give a file away
        var path = Write("config", Theirs);
        (uint, uint) nobody = (65534, 65534);

        LabKubeconfig.Merge(path, LabKubeconfig.Standalone("play", 43210, Credentials), nobody);
        var afterMerge = Owner(path);
        LabKubeconfig.Remove(path, "maille-play", nobody);

        Assert.Equal("65534:65534", afterMerge);
        Assert.Equal("65534:65534", Owner(path));   // the file was replaced: without the owner it would be root's
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Merging_IntoAMissingFile_CreatesItAndItsFolder()
    {
        var path = Path.Combine(_directory, "new", ".kube", "config");

        LabKubeconfig.Merge(path, LabKubeconfig.Standalone("play", 43210, Credentials));

        Assert.Equal("maille-play", KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path)).CurrentContext);
    }

    [Fact]
    public void AFileThatIsNotYaml_IsNamedAndLeftAsItWas()
    {
        var path = Write("broken", "clusters: [\n  - name: {oops\n");

        var error = Assert.Throws<FormatException>(() => LabKubeconfig.Merge(path, LabKubeconfig.Standalone("play", 43210, Credentials)));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal("clusters: [\n  - name: {oops\n", File.ReadAllText(path));
    }

    [Fact]
    public void TheTarget_IsTheFlag_ElseTheFirstKubeconfigFile_ElseHome_AndUnderSudoTheInvokingUsersHomeAndOwnership()
    {
        static Func<string, string?> Env(params (string Name, string Value)[] variables) => name => variables.FirstOrDefault(v => v.Name == name).Value;

        Assert.Equal(new KubeconfigTarget("/tmp/k", null), KubeconfigTarget.Resolve("/tmp/k", Env(("KUBECONFIG", "/a:/b"))));
        Assert.Equal(new KubeconfigTarget("/a", null), KubeconfigTarget.Resolve(null, Env(("KUBECONFIG", ":/a:/b"), ("HOME", "/root"))));
        Assert.Equal(new KubeconfigTarget("/root/.kube/config", null), KubeconfigTarget.Resolve(null, Env(("HOME", "/root"))));
        var nobody = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).First(f => f[0] == "nobody");
        Assert.Equal(
            new KubeconfigTarget(Path.Combine(nobody[5], ".kube", "config"), (uint.Parse(nobody[2], System.Globalization.CultureInfo.InvariantCulture), 4242u)),
            KubeconfigTarget.Resolve(null, Env(("HOME", "/root"), ("SUDO_USER", "nobody"), ("SUDO_UID", nobody[2]), ("SUDO_GID", "4242"))));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>uid:gid of a file (.NET reads modes but not owners).</summary>
    private static string Owner(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%u:%g", path]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var owner = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return owner;
    }

    private string Write(string name, string text)
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
