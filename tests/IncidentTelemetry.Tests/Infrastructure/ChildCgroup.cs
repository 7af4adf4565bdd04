namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// A memory cgroup created below the test's own cgroup for one child process, with a limit written by
/// the test, removed on dispose. <see cref="TryCreate"/> returns null where the cgroup tree is read-only
/// or does not delegate the memory controller (not root, cgroup v2 without delegation, no cgroups).
/// </summary>
internal sealed class ChildCgroup : IDisposable
{
    private ChildCgroup(string directory, string source)
    {
        this.Directory = directory;
        this.Source = source;
    }

    /// <summary>The cgroup's directory; a process joins it by writing its pid to <c>cgroup.procs</c>.</summary>
    public string Directory { get; }

    /// <summary>The attribute value the gauge should report: <c>cgroup_v1</c> or <c>cgroup_v2</c>.</summary>
    public string Source { get; }

    /// <summary>The limit as the kernel stored it (rounded down to a page).</summary>
    public long Limit { get; private set; }

    public static ChildCgroup? TryCreate(long limit, out string whyNot)
    {
        whyNot = string.Empty;
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/self/cgroup"))
        {
            whyNot = "no /proc/self/cgroup";
            return null;
        }

        string? v1 = null;
        string? v2 = null;
        foreach (var line in File.ReadAllLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            if (parts[0] == "0" && parts[1].Length == 0)
            {
                v2 = parts[2];
            }
            else if (parts[1].Split(',').Contains("memory"))
            {
                v1 = parts[2];
            }
        }

        var (parent, file, source) = v1 is not null
            ? ("/sys/fs/cgroup/memory" + v1, "memory.limit_in_bytes", "cgroup_v1")
            : ("/sys/fs/cgroup" + v2, "memory.max", "cgroup_v2");
        var directory = Path.Combine(parent, "incident-telemetry-test-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            whyNot = $"cannot create {directory}: {ex.Message}";
            return null;
        }

        var cgroup = new ChildCgroup(directory, source);
        try
        {
            var limitFile = Path.Combine(directory, file);
            if (!File.Exists(limitFile))
            {
                whyNot = $"{parent} does not delegate the memory controller ({file} missing)";
                cgroup.Dispose();
                return null;
            }

            File.WriteAllText(limitFile, limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            cgroup.Limit = long.Parse(File.ReadAllText(limitFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            return cgroup;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            whyNot = $"cannot write {file} in {directory}: {ex.Message}";
            cgroup.Dispose();
            return null;
        }
    }

    public void Dispose()
    {
        // rmdir, not a recursive delete: a cgroup's files cannot be deleted, the directory can once it is empty.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                System.IO.Directory.Delete(this.Directory);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException)
            {
                // The killed child is still leaving the cgroup.
                Thread.Sleep(100);
            }
        }
    }
}
