namespace LocalComponents;

/// <summary>Where the Debian packages put the real components (scripts/install-test-tools.sh installs them).</summary>
public static class Tools
{
    /// <summary>The PostgreSQL server binaries folder (for example /usr/lib/postgresql/15/bin).</summary>
    public static string PostgresBin
    {
        get
        {
            var root = "/usr/lib/postgresql";
            if (Directory.Exists(root))
            {
                foreach (var version in Directory.GetDirectories(root).OrderByDescending(d => d, StringComparer.Ordinal))
                {
                    if (File.Exists(Path.Combine(version, "bin", "initdb")))
                    {
                        return Path.Combine(version, "bin");
                    }
                }
            }

            throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql; run scripts/install-test-tools.sh.");
        }
    }

    /// <summary>redis_exporter's binary name in Debian.</summary>
    public const string RedisExporter = "prometheus-redis-exporter";
}
