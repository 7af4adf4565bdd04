using System.Globalization;

namespace LocalComponents;

/// <summary>
/// A real memory cgroup with a limit, as a container runtime makes one: a process started inside it is
/// OOM-killed by the kernel when it passes the limit. cgroup v1 (memory controller) or v2 (memory.max);
/// needs root. Removed on dispose.
/// </summary>
public sealed class MemoryCgroup : IDisposable
{
    private const string V1Root = "/sys/fs/cgroup/memory";
    private const string V2Root = "/sys/fs/cgroup";

    private MemoryCgroup(string path, long limitBytes)
    {
        this.Path = path;
        this.LimitBytes = limitBytes;
    }

    /// <summary>The cgroup's folder.</summary>
    public string Path { get; }

    /// <summary>The limit the kernel reports back (rounded to pages).</summary>
    public long LimitBytes { get; }

    /// <summary>Creates a cgroup with the limit, or returns null with the reason when this machine cannot.</summary>
    public static MemoryCgroup? TryCreate(long limitBytes, out string? reason)
    {
        var name = "incident-telemetry-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            if (Controller() is var (root, limitFile))
            {
                var path = System.IO.Path.Combine(root, name);
                Directory.CreateDirectory(path);
                var limit = System.IO.Path.Combine(path, limitFile);
                File.WriteAllText(limit, limitBytes.ToString(CultureInfo.InvariantCulture));
                var actual = long.Parse(File.ReadAllText(limit).Trim(), CultureInfo.InvariantCulture);
                reason = null;
                return new MemoryCgroup(path, actual);
            }

            reason = "no writable memory cgroup (v1 memory controller or v2 memory.max) on this machine";
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot create a memory cgroup: {ex.Message}";
            return null;
        }
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
