using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Maille.TestKit;

namespace Maille.Cli.Tests;

// The OCI image image/build makes (run-tests builds it before the tests, as root): its configuration as deploy/'s
// DaemonSets need it, its size, and, unpacked, a `maille` that starts on its own base with libnftables beside it.
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ContainerImageTests
{
    /// <summary>Compressed, base and application together (99 MB when this was written).</summary>
    private const long MaxBytes = 130L * 1024 * 1024;

    private static readonly string Archive = Environment.GetEnvironmentVariable("MAILLE_IMAGE_ARCHIVE") is { Length: > 0 } path
        ? path
        : Path.Combine(Cluster.RepositoryRoot, ".artifacts", "image", "maille.tar");

    private static readonly Lazy<OciImageArchive> Image = new(() => OciImageArchive.Read(Archive));

    [SkippableFact]
    public void Its_entrypoint_is_maille_run_as_root_with_its_labels_and_no_diagnostics_socket()
    {
        var config = Built().Config["config"]!;

        Assert.Equal(["/app/maille"], config["Entrypoint"]!.AsArray().Select(e => (string)e!));
        Assert.Equal("0", (string?)config["User"]);
        var labels = config["Labels"]!.AsObject();
        Assert.Equal("maille", (string?)labels["org.opencontainers.image.title"]);
        Assert.Equal("maille", (string?)labels["org.opencontainers.image.vendor"]);
        Assert.False(string.IsNullOrEmpty((string?)labels["org.opencontainers.image.description"]));
        Assert.StartsWith("127.0.0.1:", (string?)labels["org.opencontainers.image.base.name"], StringComparison.Ordinal);
        Assert.Contains("DOTNET_EnableDiagnostics=0", config["Env"]!.AsArray().Select(e => (string)e!));
        Assert.Equal("linux", (string?)Built().Config["os"]);
        Assert.Equal("amd64", (string?)Built().Config["architecture"]);
    }

    [SkippableFact]
    public void It_is_named_as_deploys_DaemonSets_name_it()
    {
        var name = Built().Name;
        Assert.EndsWith("maille-dev/maille:dev", name, StringComparison.Ordinal);
        foreach (var daemonSet in new[] { "replace-kube-proxy", "beside-kube-proxy" })
        {
            var yaml = File.ReadAllText(Path.Combine(Cluster.RepositoryRoot, "deploy", daemonSet, "daemonset.yaml"));
            Assert.Contains("image: ghcr.io/maille-dev/maille:", yaml, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public void It_is_two_layers_base_and_application_under_the_size_budget()
    {
        var image = Built();
        Assert.Equal(2, image.LayerSizes.Count);
        Assert.True(image.LayerSizes.Sum() < MaxBytes, $"{image.LayerSizes.Sum() / (1024 * 1024)} MB, budget {MaxBytes / (1024 * 1024)} MB");
        Assert.All(image.LayerDigests, digest => Assert.True(image.Blobs.Contains(digest), $"layer {digest} is not in the archive"));
    }

    [SkippableFact]
    public void Unpacked_its_maille_starts_and_libnftables_is_on_the_loader_path()
    {
        var image = Built();
        Privileged.Require();
        var rootfs = Directory.CreateTempSubdirectory("maille-image-").FullName;
        try
        {
            image.Unpack(rootfs);
            // The runtime reads /proc as in any container: mounted in a mount namespace of the command's own, gone with it.
            var version = Run("unshare", "--mount", "sh", "-c", $"mount -t proc proc '{rootfs}/proc' && exec chroot '{rootfs}' /app/maille --version");
            Assert.True(version.ExitCode == 0, version.Output);
            Assert.Matches(@"^\d+\.\d+", version.Output.Trim());
            var libraries = Run("chroot", rootfs, "/sbin/ldconfig", "-p");
            Assert.Contains("libnftables.so.1", libraries.Output, StringComparison.Ordinal);
            Assert.Contains("libssl.so.3", libraries.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(rootfs, recursive: true);
        }
    }

    private static OciImageArchive Built()
    {
        if (!File.Exists(Archive))
        {
            const string Reason = "no image archive: `sudo image/build` makes it (run-tests does, as root)";
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", Reason + "; CI=true, so this is a failure, not a skip");
            Skip.If(true, Reason);
        }

        return Image.Value;
    }

    private static (int ExitCode, string Output) Run(params string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + errors);
    }

    /// <summary>An OCI image layout in a tar, as the SDK's <c>ContainerArchiveOutputPath</c> writes it: its index, manifest and config read, its blobs' sizes.</summary>
    private sealed class OciImageArchive
    {
        private readonly string _path;

        private OciImageArchive(string path, string name, JsonNode config, IReadOnlyList<string> layers, IReadOnlyDictionary<string, long> blobs)
        {
            _path = path;
            Name = name;
            Config = config;
            LayerDigests = layers;
            LayerSizes = [.. layers.Select(l => blobs.GetValueOrDefault(l))];
            Blobs = blobs.Keys.ToHashSet(StringComparer.Ordinal);
        }

        public string Name { get; }

        public JsonNode Config { get; }

        public IReadOnlyList<string> LayerDigests { get; }

        public IReadOnlyList<long> LayerSizes { get; }

        public HashSet<string> Blobs { get; }

        public static OciImageArchive Read(string path)
        {
            var small = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            Each(path, entry =>
            {
                sizes[entry.Name] = entry.Length;
                if (entry.Length < 1024 * 1024 && entry.DataStream is { } data)
                {
                    using var copy = new MemoryStream();
                    data.CopyTo(copy);
                    small[entry.Name] = copy.ToArray();
                }
            });
            var index = JsonNode.Parse(small["index.json"])!["manifests"]!.AsArray().Single()!;
            var manifest = JsonNode.Parse(small[Blob((string)index["digest"]!)])!;
            var config = JsonNode.Parse(small[Blob((string)manifest["config"]!["digest"]!)])!;
            var layers = manifest["layers"]!.AsArray().Select(l => Blob((string)l!["digest"]!)).ToList();
            return new OciImageArchive(path, (string)index["annotations"]!["io.containerd.image.name"]!, config, layers, sizes);
        }

        /// <summary>Extracts the layers in order into <paramref name="rootfs"/> (as the runtime stacks them; no whiteouts in a two-layer image).</summary>
        public void Unpack(string rootfs)
        {
            var layers = Directory.CreateTempSubdirectory("maille-layers-").FullName;
            try
            {
                Each(_path, entry =>
                {
                    if (LayerDigests.Contains(entry.Name))
                    {
                        entry.ExtractToFile(Path.Combine(layers, entry.Name.Replace('/', '_')), overwrite: true);
                    }
                });
                foreach (var layer in LayerDigests)
                {
                    var untar = Run("tar", "-xzf", Path.Combine(layers, layer.Replace('/', '_')), "-C", rootfs);
                    Assert.True(untar.ExitCode == 0, untar.Output);
                }
            }
            finally
            {
                Directory.Delete(layers, recursive: true);
            }
        }

        private static string Blob(string digest) => "blobs/" + digest.Replace(':', '/');

        private static void Each(string path, Action<TarEntry> each)
        {
            // The SDK writes a plain tar; one compressed afterwards (gzip's magic number first) is read too.
            using var file = File.OpenRead(path);
            var gzipped = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
            file.Position = 0;
            using var stream = gzipped ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            using var tar = new TarReader(stream);
            while (tar.GetNextEntry() is { } entry)
            {
                each(entry);
            }
        }
    }
}
