using System.Text.Json;

namespace LocalComponents;

/// <summary>
/// The real promtool and amtool (Debian prometheus and prometheus-alertmanager; scripts/install-test-tools.sh
/// installs them), run to completion with their exit code and output.
/// </summary>
public static class PrometheusTools
{
    /// <summary>Runs <c>promtool</c> with <paramref name="arguments"/>.</summary>
    public static Task<(int ExitCode, string Output)> PromtoolAsync(params string[] arguments)
        => ExternalProcess.RunAsync("promtool", arguments, TimeSpan.FromMinutes(5));

    /// <summary>Runs <c>amtool</c> with <paramref name="arguments"/>.</summary>
    public static Task<(int ExitCode, string Output)> AmtoolAsync(params string[] arguments)
        => ExternalProcess.RunAsync("amtool", arguments, TimeSpan.FromMinutes(2));

    /// <summary>
    /// Runs <c>promtool check metrics</c> (the text-format parser and linter) on <paramref name="exposition"/>: its
    /// exit code and findings, one a line.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        using var directory = new TempDirectory("it-promtool-");
        var file = directory.Combine("metrics.txt");
        await File.WriteAllTextAsync(file, exposition);

        // promtool reads the exposition from standard input only.
        return await ExternalProcess.RunAsync("sh", ["-c", $"promtool check metrics < '{file}'"], TimeSpan.FromMinutes(2));
    }

    /// <summary>
    /// Writes <paramref name="expressions"/> as the recording rules of one group and runs <c>promtool check rules</c>
    /// on them: exit code 0 when every expression parses.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> CheckExpressionsAsync(IReadOnlyList<string> expressions)
    {
        ArgumentNullException.ThrowIfNull(expressions);
        using var directory = new TempDirectory("it-promql-");
        var file = directory.Combine("expressions.yml");
        using (var writer = new StreamWriter(file))
        {
            await writer.WriteLineAsync("groups:\n  - name: expressions\n    rules:");
            for (var i = 0; i < expressions.Count; i++)
            {
                // A JSON string is a valid YAML double-quoted scalar: no escaping surprises for PromQL.
                await writer.WriteLineAsync($"      - record: expression_{i}\n        expr: {JsonSerializer.Serialize(expressions[i])}");
            }
        }

        return await PromtoolAsync("check", "rules", file);
    }
}
