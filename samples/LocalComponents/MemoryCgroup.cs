using System.Globalization;

namespace IncidentTelemetry.Testing;

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
            if (File.Exists(System.IO.Path.Combine(V1Root, "memory.limit_in_bytes")))
            {
                var path = System.IO.Path.Combine(V1Root, name);
                Directory.CreateDirectory(path);
                File.WriteAllText(System.IO.Path.Combine(path, "memory.limit_in_bytes"), limitBytes.ToString(CultureInfo.InvariantCulture));
                var actual = long.Parse(File.ReadAllText(System.IO.Path.Combine(path, "memory.limit_in_bytes")).Trim(), CultureInfo.InvariantCulture);
                reason = null;
                return new MemoryCgroup(path, actual);
            }

            if (File.Exists(System.IO.Path.Combine(V2Root, "cgroup.controllers"))
                && File.ReadAllText(System.IO.Path.Combine(V2Root, "cgroup.controllers")).Contains("memory", StringComparison.Ordinal))
            {
                var path = System.IO.Path.Combine(V2Root, name);
                Directory.CreateDirectory(path);
                File.WriteAllText(System.IO.Path.Combine(path, "memory.max"), limitBytes.ToString(CultureInfo.InvariantCulture));
                var actual = long.Parse(File.ReadAllText(System.IO.Path.Combine(path, "memory.max")).Trim(), CultureInfo.InvariantCulture);
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
