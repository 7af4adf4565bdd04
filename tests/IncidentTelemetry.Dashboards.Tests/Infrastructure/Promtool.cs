using System.Diagnostics;
using System.Text.Json;

namespace IncidentTelemetry.Dashboards.Tests.Infrastructure;

/// <summary>Runs the real promtool (installed by scripts/install-test-tools.sh).</summary>
internal static class Promtool
{
    /// <summary>Writes <paramref name="expressions"/> as recording rules and runs <c>promtool check rules</c> on them.</summary>
    public static async Task<(int ExitCode, string Output)> CheckExpressionsAsync(IReadOnlyList<string> expressions)
    {
        var dir = Directory.CreateTempSubdirectory("it-dash-");
        try
        {
            var file = Path.Combine(dir.FullName, "dashboard-queries.yml");
            using (var writer = new StreamWriter(file))
            {
                await writer.WriteLineAsync("groups:\n  - name: dashboard-queries\n    rules:");
                for (var i = 0; i < expressions.Count; i++)
                {
                    // A JSON string is a valid YAML double-quoted scalar: no escaping surprises for PromQL.
                    await writer.WriteLineAsync($"      - record: dashboard_query_{i}\n        expr: {JsonSerializer.Serialize(expressions[i])}");
                }
            }

            return await RunAsync(["check", "rules", file]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("promtool")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("promtool did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
