using System.Text.Json;

namespace IncidentTelemetry.Drills.Tests;

/// <summary>
/// One run of every incident drill (<c>IncidentDrill all</c>), shared by the tests: each drill starts its
/// own real PostgreSQL, Redis, Sentinel, redis_exporter, services and Prometheus with the bundled rules, so
/// the run takes a while and is done once. The tests read its JSON report, its charts and its HTML page.
/// </summary>
public sealed class DrillRun : IAsyncLifetime
{
    /// <summary>What the runner printed: every step, every alert state change, the verdicts.</summary>
    public string Output { get; private set; } = string.Empty;

    public int ExitCode { get; private set; }

    public JsonDocument? Report { get; private set; }

    /// <summary>
    /// Where the run's reports go: JSON, the HTML page, its charts and the browser's screenshot, kept next
    /// to the test assembly for whoever looks at a run (a CI artifact).
    /// </summary>
    /// <summary>The drills the run covers, for the theories that check each one.</summary>
    public static TheoryData<string> Names => new() { "w50-1", "w50-2", "w50-3", "w49-1", "w49-2" };

    /// <summary>The drill that vmalert evaluates too (the cheapest: one service, PostgreSQL, about three minutes).</summary>
    public const string UnderVmalert = "w50-1";

    public static string ReportDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "drill-report");

    public static string Page => Path.Combine(ReportDirectory, "report.html");

    public static string Charts => Path.Combine(ReportDirectory, "report-charts");

    public async Task InitializeAsync()
    {
        // Before the long run: the runner is built, and the assertion library is loaded now rather than after
        // ten minutes of drills (a CI run once failed every test on loading xunit.assert at that point).
        Assert.True(File.Exists(Repository.SampleDll("IncidentDrill")), "the drill runner is not built");
        if (Directory.Exists(ReportDirectory))
        {
            Directory.Delete(ReportDirectory, recursive: true);
        }

        Directory.CreateDirectory(ReportDirectory);
        var report = Path.Combine(ReportDirectory, "report.json");
        (this.ExitCode, this.Output) = await ExternalProcess.RunAsync(
            "dotnet", [Repository.SampleDll("IncidentDrill"), "all", "--report", report, "--vmalert", UnderVmalert], TimeSpan.FromMinutes(60), workingDirectory: Repository.Root);
        // Kept next to the test assembly for whoever reads a failed run.
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "drills.log"), this.Output);
        if (File.Exists(report))
        {
            this.Report = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        }
    }

    public Task DisposeAsync()
    {
        this.Report?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The report's entry for one drill.</summary>
    public JsonElement Drill(string name)
    {
        Assert.True(this.Report is not null, $"the drill runner wrote no report (exit code {this.ExitCode}):\n{this.Output}");
        foreach (var drill in this.Report.RootElement.GetProperty("drills").EnumerateArray())
        {
            if (drill.GetProperty("name").GetString() == name)
            {
                return drill;
            }
        }

        Assert.Fail($"drill {name} is not in the report:\n{this.Output}");
        return default;
    }

    /// <summary>The lines the runner printed about one drill, for failure messages.</summary>
    public string OutputOf(string name)
    {
        var start = this.Output.IndexOf($"=== {name}:", StringComparison.Ordinal);
        if (start < 0)
        {
            return this.Output;
        }

        var end = this.Output.IndexOf("\n=== ", start + 4, StringComparison.Ordinal);
        return end < 0 ? this.Output[start..] : this.Output[start..end];
    }
}

/// <summary>The drill tests and the report tests share one run of the drills.</summary>
[CollectionDefinition(Name)]
public sealed class SharedDrillRun : ICollectionFixture<DrillRun>
{
    public const string Name = "one run of every drill";
}
