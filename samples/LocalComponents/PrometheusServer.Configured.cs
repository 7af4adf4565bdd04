namespace LocalComponents;

/// <summary>Prometheus started from a configuration the caller writes: federation, remote write, external labels.</summary>
public sealed partial class PrometheusServer
{
    /// <summary>
    /// Starts Prometheus with the configuration <paramref name="configuration"/> writes for the server's own loopback
    /// port (so that it can scrape itself under any job name), the rule files copied next to it, and waits until it
    /// is ready. <c>{rules}</c> in the configuration stands for the rule_files list.
    /// </summary>
    /// <param name="configuration">The prometheus.yml text for a given port.</param>
    /// <param name="ruleFiles">Rule files to evaluate.</param>
    /// <param name="extraArguments">More command-line flags, such as <c>--web.enable-remote-write-receiver</c>.</param>
    public static async Task<PrometheusServer> StartConfiguredAsync(Func<int, string> configuration, IEnumerable<string>? ruleFiles = null, params string[] extraArguments)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var directory = new TempDirectory("it-prom-");
        try
        {
            var rules = new List<string>();
            foreach (var (file, i) in (ruleFiles ?? []).Select((f, i) => (f, i)))
            {
                var copy = directory.Combine($"rules-{i}-{Path.GetFileName(file)}");
                File.Copy(file, copy);
                rules.Add(copy);
            }

            var port = LoopbackPorts.GetFree();
            var ruleList = rules.Count == 0 ? "[]" : "[" + string.Join(", ", rules.Select(r => $"'{r}'")) + "]";
            var configFile = directory.Combine("prometheus.yml");
            await File.WriteAllTextAsync(configFile, configuration(port).Replace("{rules}", ruleList, StringComparison.Ordinal));
            return await LaunchAsync(directory, configFile, port, extraArguments);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>The alerting and recording rule groups as <c>/api/v1/rules</c> reports them: (group name, rule count, health of every rule).</summary>
    public async Task<IReadOnlyList<(string Group, int Rules, IReadOnlyList<string> Health)>> GetRuleGroupsAsync(CancellationToken token = default)
    {
        using var json = await this.GetJsonAsync("/api/v1/rules", token);
        var groups = new List<(string, int, IReadOnlyList<string>)>();
        foreach (var group in json.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray())
        {
            var rules = group.GetProperty("rules").EnumerateArray().ToList();
            groups.Add((group.GetProperty("name").GetString() ?? "?", rules.Count, [.. rules.Select(r => r.GetProperty("health").GetString() ?? "?")]));
        }

        return groups;
    }
}
