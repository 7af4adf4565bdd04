using System.Globalization;

namespace LocalComponents;

/// <summary>
/// A real memory cgroup with a limit, as a container runtime makes one: a process started inside it is
/// OOM-killed by the kernel when it passes the limit. cgroup v1 (memory controller) or v2 (memory.max);
/// needs root. Removed on dispose. Used by the memory-leak drill and by the memory-limit gauge's tests.
/// </summary>
public sealed class MemoryCgroup : IDisposable
{
    private const string V1Root = "/sys/fs/cgroup/memory";
    private const string V2Root = "/sys/fs/cgroup";

    private MemoryCgroup(string path, long limitBytes, string source)
    {
        this.Path = path;
        this.LimitBytes = limitBytes;
        this.Source = source;
    }

    /// <summary>The cgroup's folder.</summary>
    public string Path { get; }

    /// <summary>The limit the kernel reports back (rounded to pages).</summary>
    public long LimitBytes { get; }

    /// <summary>Which cgroup version holds it, as the memory-limit gauge names it: <c>cgroup_v1</c> or <c>cgroup_v2</c>.</summary>
    public string Source { get; }

    /// <summary>
    /// Creates a cgroup with the limit, or returns null with the reason when this machine cannot. It is made below
    /// this process's own memory cgroup where that delegates the controller (so that it stays inside whatever limit
    /// this process runs under, as a container's child would), else at the root of the memory hierarchy.
    /// </summary>
    public static MemoryCgroup? TryCreate(long limitBytes, out string? reason)
    {
        var name = "incident-telemetry-" + Guid.NewGuid().ToString("N")[..8];
        if (Controller() is not var (root, limitFile))
        {
            reason = "no writable memory cgroup (v1 memory controller or v2 memory.max) on this machine";
            return null;
        }

        var source = root == V1Root ? "cgroup_v1" : "cgroup_v2";
        var failures = new List<string>();
        foreach (var parent in Parents(root))
        {
            var path = System.IO.Path.Combine(parent, name);
            try
            {
                Directory.CreateDirectory(path);
                var limit = System.IO.Path.Combine(path, limitFile);
                if (!File.Exists(limit))
                {
                    failures.Add($"{parent} does not delegate the memory controller ({limitFile} missing)");
                    Directory.Delete(path);
                    continue;
                }

                File.WriteAllText(limit, limitBytes.ToString(CultureInfo.InvariantCulture));
                var actual = long.Parse(File.ReadAllText(limit).Trim(), CultureInfo.InvariantCulture);
                reason = null;
                return new MemoryCgroup(path, actual, source);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures.Add($"cannot create a memory cgroup in {parent}: {ex.Message}");
                try
                {
                    Directory.Delete(path);
                }
                catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
                {
                    // It was never made, or it is not empty: nothing of ours to remove.
                }
            }
        }

        reason = string.Join("; ", failures);
        return null;
    }

    /// <summary>
    /// Where memory cgroups are made and the file that holds their limit: cgroup v1's memory controller has its
    /// own tree; v2 has one tree whose root lists the controllers it offers. Null when neither has memory.
    /// </summary>
    private static (string Root, string LimitFile)? Controller()
    {
        if (File.Exists(System.IO.Path.Combine(V1Root, "memory.limit_in_bytes")))
        {
            return (V1Root, "memory.limit_in_bytes");
        }

        var controllers = System.IO.Path.Combine(V2Root, "cgroup.controllers");
        return File.Exists(controllers) && File.ReadAllText(controllers).Contains("memory", StringComparison.Ordinal)
            ? (V2Root, "memory.max")
            : null;
    }

    /// <summary>This process's own memory cgroup (from /proc/self/cgroup) below <paramref name="root"/>, then the root.</summary>
    private static IEnumerable<string> Parents(string root)
    {
        const string Self = "/proc/self/cgroup";
        var own = File.Exists(Self)
            ? File.ReadAllLines(Self)
                .Select(line => line.Split(':', 3))
                .Where(parts => parts.Length == 3 && (root == V1Root ? parts[1].Split(',').Contains("memory") : parts[0] == "0" && parts[1].Length == 0))
                .Select(parts => parts[2].TrimStart('/'))
                .FirstOrDefault(relative => relative.Length > 0)
            : null;
        if (own is not null)
        {
            yield return System.IO.Path.Combine(root, own);
        }

        yield return root;
    }

    /// <summary>
    /// The command prefix that starts a program inside this cgroup: the shell moves itself in, then
    /// execs the program, so the program's first allocation already counts.
    /// </summary>
    public IReadOnlyList<string> LauncherPrefix
        => ["sh", "-c", $"echo $$ > '{System.IO.Path.Combine(this.Path, "cgroup.procs")}' && exec \"$0\" \"$@\""];

    /// <summary>How many times the kernel refused memory in this cgroup (v1 memory.failcnt), or null.</summary>
    public long? FailCount
    {
        get
        {
            var file = System.IO.Path.Combine(this.Path, "memory.failcnt");
            return File.Exists(file) ? long.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture) : null;
        }
    }

    public void Dispose()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                Directory.Delete(this.Path);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(100); // its last process is still exiting
            }
        }
    }
}
