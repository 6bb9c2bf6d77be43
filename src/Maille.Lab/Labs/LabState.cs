using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Maille.Kube;
using Maille.Kube.Fields;

namespace Maille.Lab.Labs;

/// <summary>
/// Where a lab keeps its state: <c>/run/maille/&lt;lab&gt;/</c> (tmpfs, like <c>/run/netns</c>: both vanish on reboot,
/// so state never outlives the namespaces it describes). It holds the manifests the lab was brought up with, the
/// cluster configuration, the daemon's pid, log and status, the API's keys. The folder is 0700 and its files 0600
/// (<see cref="PrivateFiles"/>): the manifests hold applied Secrets.
/// </summary>
public sealed class LabState(string lab, string root = LabState.DefaultRoot)
{
    public const string DefaultRoot = "/run/maille";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    // The text this process last gave each file that is written on every published state: most states leave the
    // allocations and readiness as they were (a label edited), and writing them again would only cost.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _lastWritten = new(StringComparer.Ordinal);

    public string Lab => lab;

    public string Directory => Path.Combine(root, lab);

    public string ManifestsFile => Path.Combine(Directory, "manifests.yaml");

    /// <summary>The lab's certificate authority and the API's keys (<see cref="Api.LabCredentials"/>).</summary>
    public string PkiDirectory => Path.Combine(Directory, "pki");

    public string ConfigFile => Path.Combine(Directory, "config.yaml");

    public string StatusFile => Path.Combine(Directory, "status.json");

    public string PidFile => Path.Combine(Directory, "daemon.pid");

    public string LogFile => Path.Combine(Directory, "daemon.log");

    /// <summary>Nodes taken off the node network with <c>maille node stop</c>, one name per line.</summary>
    public string StoppedNodesFile => Path.Combine(Directory, "stopped-nodes");

    /// <summary>
    /// The lab's own bpffs (<see cref="Dataplane.Linux.Ebpf.LabBpfFs"/>), mounted by the daemon of an ebpf lab whose agents
    /// are processes: each node's agent pins its maps and cgroup links in a folder of its node's name.
    /// </summary>
    public string BpfDirectory => Path.Combine(Directory, "bpf");

    /// <summary>The daemon's Kubernetes-shaped API (HTTP on a Unix socket).</summary>
    public string ApiSocket => Path.Combine(Directory, "api.sock");

    /// <summary>Pod readiness as the daemon's probes last saw it (<c>namespace/name</c> → ready).</summary>
    public string ReadinessFile => Path.Combine(Directory, "readiness.json");

    /// <summary>What the running lab allocated (pod node and IP, ClusterIPs, node ports), kept across daemon restarts.</summary>
    public string AllocationsFile => Path.Combine(Directory, "allocations.json");

    /// <summary>
    /// The managed fields of the objects the Kubernetes API wrote (server-side apply's owners), beside the manifests
    /// and not in them: the manifests stay what was applied, readable and reusable as they are.
    /// </summary>
    public string ManagedFieldsFile => Path.Combine(Directory, "managed-fields.json");

    /// <summary>
    /// The Namespaces being deleted (phase Terminating) and when each deletion was asked, so that a daemon that starts
    /// again serves them Terminating and finishes deleting them.
    /// </summary>
    public string TerminatingNamespacesFile => Path.Combine(Directory, "terminating-namespaces.json");

    /// <summary>When the lab first made its nodes (ISO 8601): their creation time, the same after every daemon restart.</summary>
    public string NodesCreatedFile => Path.Combine(Directory, "nodes-created");

    /// <summary>
    /// The first resource version the next daemon of the lab may use (<see cref="ReserveVersions"/>): the API's versions
    /// never go back across a daemon restart.
    /// </summary>
    public string VersionsFile => Path.Combine(Directory, "versions");

    /// <summary>
    /// How many resource versions one daemon reserves: a change every microsecond would take eleven days to use them.
    /// </summary>
    public const long VersionsPerDaemon = 1_000_000_000_000;

    public bool Exists => System.IO.Directory.Exists(Directory);

    /// <summary>
    /// Reserves the resource versions of a daemon that starts: returns the version its API starts after (0 at the lab's
    /// first start, then the end of the previous daemon's reservation) and records where the next daemon starts. A watch
    /// that a client carries across the restart (a node agent's) then names a version older than any the new API issues:
    /// it is told 410 Gone and lists again, as after an API server restart, instead of resuming in a sequence that
    /// started over and missing what differs.
    /// </summary>
    public long ReserveVersions()
    {
        var after = File.Exists(VersionsFile) && long.TryParse(File.ReadAllText(VersionsFile).Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var saved)
            ? saved
            : 0;
        WriteAtomically(VersionsFile, (after + VersionsPerDaemon).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return after;
    }

    /// <summary>Creates the folder (0700) and writes the manifests and cluster configuration a new lab starts from.</summary>
    public void Create(string manifests, string? configPath)
    {
        System.IO.Directory.CreateDirectory(root);
        PrivateFiles.CreateDirectory(Directory);
        WriteManifests(manifests);
        if (configPath is not null)
        {
            WriteAtomically(ConfigFile, File.ReadAllText(configPath));
        }
    }

    /// <summary>Replaces the lab's ClusterConfig (a flag of <c>up</c> that overrides one of its fields).</summary>
    public void WriteConfig(string text) => WriteAtomically(ConfigFile, text);

    public void WritePid(int pid) => WriteAtomically(PidFile, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Maille.Engine.Allocation.PriorAllocations ReadAllocations()
    {
        try
        {
            return File.Exists(AllocationsFile)
                ? JsonSerializer.Deserialize(File.ReadAllText(AllocationsFile), AllocationsJson.Default.AllocationsFile)?.ToAllocations() ?? Maille.Engine.Allocation.PriorAllocations.None
                : Maille.Engine.Allocation.PriorAllocations.None;
        }
        catch (Exception e) when (e is JsonException or IOException or FormatException or ArgumentException)
        {
            return Maille.Engine.Allocation.PriorAllocations.None;
        }
    }

    public void WriteAllocations(Maille.Engine.Allocation.PriorAllocations allocations) =>
        WriteUnlessUnchanged(AllocationsFile, JsonSerializer.Serialize(Labs.AllocationsFile.From(allocations), AllocationsJson.Default.AllocationsFile));

    /// <summary>Replaces the desired state (the manifests file) in one rename.</summary>
    public void WriteManifests(string yaml) => WriteAtomically(ManifestsFile, yaml);

    /// <summary>Replaces the desired state with <paramref name="manifests"/>, streamed to the file.</summary>
    public void WriteManifests(LabManifests manifests) => PrivateFiles.Write(ManifestsFile, manifests.WriteTo);

    private static void WriteAtomically(string path, string text) => PrivateFiles.Write(path, text);

    private void WriteUnlessUnchanged(string path, string text)
    {
        if (_lastWritten.TryGetValue(path, out var had) && had == text)
        {
            return;
        }

        WriteAtomically(path, text);
        _lastWritten[path] = text;
    }

    /// <summary>Replaces the managed fields file: <c>{"items": [{"group", "kind", "namespace", "name", "managedFields": [...]}]}</c>.</summary>
    public void WriteManagedFields(IReadOnlyDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> managed) =>
        WriteAtomically(ManagedFieldsFile, new JsonObject
        {
            ["items"] = new JsonArray([.. managed.OrderBy(m => m.Key).Select(m => (JsonNode)new JsonObject
            {
                ["group"] = m.Key.Group,
                ["kind"] = m.Key.Kind,
                ["namespace"] = m.Key.Namespace,
                ["name"] = m.Key.Name,
                ["managedFields"] = FieldManager.ToJson(m.Value),
            })]),
        }.ToJsonString());

    /// <summary>The managed fields last written; none when the file is missing or unreadable (the objects then have no owners yet).</summary>
    public IReadOnlyDictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>> ReadManagedFields()
    {
        var managed = new Dictionary<ObjectKey, ImmutableArray<ManagedFieldsEntry>>();
        try
        {
            if (!File.Exists(ManagedFieldsFile) || JsonNode.Parse(File.ReadAllText(ManagedFieldsFile))?["items"] is not JsonArray items)
            {
                return managed;
            }

            foreach (var item in items.OfType<JsonObject>())
            {
                var key = new ObjectKey((string?)item["group"] ?? "", (string?)item["kind"] ?? "", (string?)item["namespace"] ?? "", (string?)item["name"] ?? "");
                managed[key] = FieldManager.FromJson(item["managedFields"]);
            }

            return managed;
        }
        catch (Exception e) when (e is JsonException or IOException or FormatException or InvalidOperationException)
        {
            return managed;
        }
    }

    /// <summary>When the lab first made its nodes: read from the state folder, or <paramref name="now"/> recorded there at a first start.</summary>
    public DateTimeOffset NodesCreated(DateTimeOffset now)
    {
        if (File.Exists(NodesCreatedFile)
            && DateTimeOffset.TryParse(File.ReadAllText(NodesCreatedFile).Trim(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var created))
        {
            return created;
        }

        // Whole seconds, as the API's timestamps.
        var stamped = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        WriteAtomically(NodesCreatedFile, stamped.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return stamped;
    }

    /// <summary>Replaces the terminating namespaces file: <c>{"NAME": "deletion time (ISO 8601)"}</c>.</summary>
    public void WriteTerminatingNamespaces(IReadOnlyDictionary<string, DateTimeOffset> namespaces) =>
        WriteAtomically(TerminatingNamespacesFile, JsonSerializer.Serialize(new SortedDictionary<string, DateTimeOffset>(namespaces.ToDictionary(), StringComparer.Ordinal), Json));

    /// <summary>The namespaces being deleted when the file was last written; none when it is missing or unreadable.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> ReadTerminatingNamespaces() => ReadJson<Dictionary<string, DateTimeOffset>>(TerminatingNamespacesFile) ?? [];

    /// <summary>A JSON file of the state folder; null when it is missing or unreadable (as if nothing was recorded).</summary>
    private static T? ReadJson<T>(string path)
        where T : class
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
    }

    public IReadOnlyDictionary<string, bool> ReadReadiness() => ReadJson<Dictionary<string, bool>>(ReadinessFile) ?? [];

    public void WriteReadiness(IReadOnlyDictionary<string, bool> readiness) => WriteUnlessUnchanged(ReadinessFile, JsonSerializer.Serialize(readiness, Json));

    public IReadOnlyList<string> ReadStoppedNodes() =>
        File.Exists(StoppedNodesFile) ? [.. File.ReadAllLines(StoppedNodesFile).Where(l => l.Length > 0)] : [];

    public void WriteStoppedNodes(IEnumerable<string> nodes) =>
        WriteAtomically(StoppedNodesFile, string.Concat(nodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(n => n + "\n")));

    public static IReadOnlyList<LabState> All(string root = DefaultRoot) => System.IO.Directory.Exists(root)
        ? [.. System.IO.Directory.EnumerateDirectories(root).Select(d => new LabState(Path.GetFileName(d), root)).OrderBy(s => s.Lab, StringComparer.Ordinal)]
        : [];

    public LabStatus? ReadStatus()
    {
        try
        {
            return File.Exists(StatusFile) ? JsonSerializer.Deserialize<LabStatus>(File.ReadAllText(StatusFile), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Writes the status atomically (write then rename), so a reader never sees half a file.</summary>
    public void WriteStatus(LabStatus status) => WriteAtomically(StatusFile, JsonSerializer.Serialize(status, Json));

    /// <summary>Forgets what the last daemon reported, so that only a new daemon's status counts.</summary>
    public void ClearStatus()
    {
        File.Delete(StatusFile);
        File.Delete(ReadinessFile);
    }

    public int? ReadPid() =>
        File.Exists(PidFile) && int.TryParse(File.ReadAllText(PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;

    /// <summary>Whether the daemon recorded in the pid file is still running (and is a maille daemon for this lab).</summary>
    public bool DaemonAlive()
    {
        if (ReadPid() is not { } pid)
        {
            return false;
        }

        var cmdline = $"/proc/{pid}/cmdline";
        try
        {
            return File.Exists(cmdline) && IsDaemonCommandLine(File.ReadAllText(cmdline), Lab);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether a <c>/proc/PID/cmdline</c> (arguments ending in <c>\0</c>) is <c>maille lab-daemon --lab LAB</c> for
    /// this <paramref name="lab"/>: a recycled pid, or another lab's daemon, is not this lab's daemon.
    /// </summary>
    public static bool IsDaemonCommandLine(string cmdline, string lab)
    {
        var arguments = cmdline.Split('\0', StringSplitOptions.RemoveEmptyEntries);
        if (!arguments.Contains("lab-daemon", StringComparer.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < arguments.Length; i++)
        {
            if ((arguments[i] == "--lab" && i + 1 < arguments.Length && arguments[i + 1] == lab) || arguments[i] == "--lab=" + lab)
            {
                return true;
            }
        }

        return false;
    }

    public void Delete()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            // A bpffs still mounted in the folder (an ebpf lab's agent pins) would make the delete fail half done.
            if (OperatingSystem.IsLinux())
            {
                Dataplane.Linux.Ebpf.LabBpfFs.Unmount(BpfDirectory);
            }

            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
