using System.Globalization;

namespace IncidentTelemetry.Process;

/// <summary>
/// Reads the memory limit of the cgroup this process runs in, the number the kernel's OOM killer
/// enforces (a Kubernetes container's <c>resources.limits.memory</c>). Every path is taken below
/// <c>root</c>, which is <c>/</c> in production and a temporary directory in tests.
/// </summary>
/// <remarks>
/// The cgroup is found in <c>/proc/self/cgroup</c> and located through <c>/proc/self/mountinfo</c>, so that
/// containers whose cgroup mount root is not <c>/</c> (no cgroup namespace) resolve too. A parent cgroup can
/// be tighter than the process's own (a pod limit above a container without one), so every level up to the
/// mount point is read and the smallest limit wins.
/// </remarks>
internal sealed class CgroupMemoryLimitReader(string root)
{
    /// <summary>cgroup v1 writes a page-aligned <c>long.MaxValue</c> for "no limit"; anything from 2^62 up is treated the same.</summary>
    internal const long V1UnlimitedThreshold = 1L << 62;

    private const string V1LimitFile = "memory.limit_in_bytes";
    private const string V2LimitFile = "memory.max";

    /// <summary>The reader of the running process (<c>root</c> = <c>/</c>).</summary>
    public static CgroupMemoryLimitReader ForThisProcess() => new("/");

    /// <summary>The tightest cgroup memory limit of this process, or <see langword="null"/> when none is set or cgroups are absent.</summary>
    /// <exception cref="IOException">A cgroup file could not be read.</exception>
    /// <exception cref="FormatException">A cgroup file held something other than a number (or <c>max</c>).</exception>
    public MemoryLimit? Read()
    {
        var cgroupFile = this.Resolve("/proc/self/cgroup");
        if (!File.Exists(cgroupFile))
        {
            return null;
        }

        string? v1Path = null;
        string? v2Path = null;
        foreach (var line in File.ReadLines(cgroupFile))
        {
            // "hierarchy-id:controller-list:cgroup-path"; the path itself may contain ':'.
            var first = line.IndexOf(':', StringComparison.Ordinal);
            var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0)
            {
                continue;
            }

            var controllers = line.AsSpan(first + 1, second - first - 1);
            var path = line[(second + 1)..];
            if (line.AsSpan(0, first) is "0" && controllers.IsEmpty)
            {
                v2Path = path;
            }
            else if (HasOption(controllers, "memory"))
            {
                v1Path = path;
            }
        }

        // A hybrid host lists both; only the v1 hierarchy carries the memory controller there.
        if (v1Path is not null)
        {
            var mount = this.FindMount(v2: false) ?? new Mount("/", "/sys/fs/cgroup/memory");
            return this.ReadTightest(mount, v1Path, V1LimitFile, MemoryLimitSource.CgroupV1);
        }

        if (v2Path is not null)
        {
            var mount = this.FindMount(v2: true) ?? new Mount("/", "/sys/fs/cgroup");
            return this.ReadTightest(mount, v2Path, V2LimitFile, MemoryLimitSource.CgroupV2);
        }

        return null;
    }

    /// <summary>Parses a cgroup v2 <c>memory.max</c>: a byte count, or <c>max</c> for none.</summary>
    internal static long? ParseV2(string text)
    {
        var value = text.Trim();
        return value == "max" ? null : long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>Parses a cgroup v1 <c>memory.limit_in_bytes</c>: a byte count, huge for none.</summary>
    internal static long? ParseV1(string text)
    {
        var value = text.Trim();

        // -1 is what writing "-1" leaves on some kernels; it also means "no limit".
        if (value == "-1")
        {
            return null;
        }

        var bytes = ulong.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        return bytes >= V1UnlimitedThreshold ? null : (long)bytes;
    }

    private static bool HasOption(ReadOnlySpan<char> list, string option)
    {
        foreach (var range in list.Split(','))
        {
            if (list[range].SequenceEqual(option))
            {
                return true;
            }
        }

        return false;
    }

    private MemoryLimit? ReadTightest(Mount mount, string cgroupPath, string fileName, MemoryLimitSource source)
    {
        // Without a cgroup namespace the mount shows only a subtree ("/docker/abc") of the process's path.
        var relative = cgroupPath;
        if (mount.Root != "/")
        {
            relative = cgroupPath.StartsWith(mount.Root, StringComparison.Ordinal) ? cgroupPath[mount.Root.Length..] : "/";
        }

        var mountPoint = this.Resolve(mount.Point);
        var directory = Path.Join(mountPoint, relative.TrimStart('/'));
        long? tightest = null;
        while (true)
        {
            var file = Path.Join(directory, fileName);
            if (File.Exists(file))
            {
                var text = File.ReadAllText(file);
                var limit = source == MemoryLimitSource.CgroupV2 ? ParseV2(text) : ParseV1(text);
                if (limit is { } bytes && (tightest is null || bytes < tightest))
                {
                    tightest = bytes;
                }
            }

            if (Path.TrimEndingDirectorySeparator(directory).Length <= Path.TrimEndingDirectorySeparator(mountPoint).Length)
            {
                break;
            }

            directory = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(directory))!;
        }

        return tightest is { } value ? new MemoryLimit(value, source) : null;
    }

    private Mount? FindMount(bool v2)
    {
        var mountInfo = this.Resolve("/proc/self/mountinfo");
        if (!File.Exists(mountInfo))
        {
            return null;
        }

        foreach (var line in File.ReadLines(mountInfo))
        {
            // "36 35 98:0 /root /mount/point options optional-fields - fstype source super-options"
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var before = line[..separator].Split(' ');
            var after = line[(separator + 3)..].Split(' ');
            if (before.Length < 5 || after.Length < 1)
            {
                continue;
            }

            var matches = v2
                ? after[0] == "cgroup2"
                : after[0] == "cgroup" && after.Length >= 3 && HasOption(after[2], "memory");
            if (matches)
            {
                return new Mount(Unescape(before[3]), Unescape(before[4]));
            }
        }

        return null;
    }

    // mountinfo escapes space, tab, newline and backslash as octal (\040 ...).
    private static string Unescape(string field) => field.Contains('\\', StringComparison.Ordinal)
        ? System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString())
        : field;

    private string Resolve(string absolute) => Path.Join(root, absolute.TrimStart('/'));

    private readonly record struct Mount(string Root, string Point);
}
