using System.Globalization;
using IncidentTelemetry.Process;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.Process;

/// <summary>
/// Starts tests/IncidentTelemetry.TestChild (a generic host with AddIncidentTelemetry) under a memory limit
/// and reads the limit its gauge reports.
/// </summary>
public sealed class MemoryLimitChildProcessTests(ITestOutputHelper output)
{
    private const long GcHardLimit = 0x20000000; // 512 MiB

    private static readonly string ChildDll = Path.Combine(AppContext.BaseDirectory, "IncidentTelemetry.TestChild.dll");

    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    [Fact]
    public async Task MemoryLimitGauge_ChildInCgroupWithLimit_ReportsCgroupLimit()
    {
        const long requested = 300L * 1024 * 1024;
        using var cgroup = MemoryCgroup.TryCreate(requested, out var whyNot);
        if (cgroup is null)
        {
            // No writable cgroup tree here: the child must still report what this machine imposes on it.
            var (fallbackBytes, fallbackSource) = await RunChildAsync(["-c", "exec \"$0\" \"$1\"", DotnetHost, ChildDll], env: null);
            output.WriteLine($"cgroup unavailable, checking the inherited limit instead: {whyNot}");
            var expected = LimitSeenByThisProcess();
            Assert.True(expected.Bytes == fallbackBytes && ToAttribute(expected.Source) == fallbackSource, $"cgroup unavailable ({whyNot}); expected {expected}, child saw {fallbackBytes} {fallbackSource}");
            return;
        }

        // The shell joins the cgroup, then becomes the child: the runtime starts already under the limit.
        var (bytes, source) = await RunChildAsync(
            ["-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$1\" \"$2\"", cgroup.Path, DotnetHost, ChildDll],
            env: null);

        output.WriteLine($"child in {cgroup.Path} (limit {cgroup.LimitBytes}) reported {bytes} {source}");
        Assert.Equal(cgroup.Source, source);
        Assert.Equal(cgroup.LimitBytes, bytes);
        Assert.InRange(bytes, requested - 4096, requested);
    }

    [Fact]
    public async Task MemoryLimitGauge_ChildWithGcHeapHardLimit_ReportsGcLimit()
    {
        var (bytes, source) = await RunChildAsync(
            ["-c", "exec \"$0\" \"$1\"", DotnetHost, ChildDll],
            env: new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x" + GcHardLimit.ToString("x", CultureInfo.InvariantCulture) });

        // A cgroup limit, where the tests themselves run under one, comes first: it is what the OOM killer enforces.
        var cgroupHere = OperatingSystem.IsLinux() ? CgroupMemoryLimitReader.ForThisProcess().Read() : null;
        var expected = cgroupHere ?? new MemoryLimit(GcHardLimit, MemoryLimitSource.Gc);
        Assert.Equal(ToAttribute(expected.Source), source);
        Assert.Equal(expected.Bytes, bytes);
    }

    private static MemoryLimit LimitSeenByThisProcess()
    {
        using var services = new ServiceCollection().AddMetrics().AddSingleton<ProcessMetrics>().BuildServiceProvider();
        return services.GetRequiredService<ProcessMetrics>().CurrentLimit() ?? throw new InvalidOperationException("no limit at all");
    }

    private static string ToAttribute(MemoryLimitSource source) => source switch
    {
        MemoryLimitSource.CgroupV2 => "cgroup_v2",
        MemoryLimitSource.CgroupV1 => "cgroup_v1",
        _ => "gc",
    };

    private static async Task<(long Bytes, string Source)> RunChildAsync(string[] shellArguments, Dictionary<string, string>? env)
    {
        Assert.True(File.Exists(ChildDll), $"{ChildDll} is missing; the test project references IncidentTelemetry.TestChild to copy it.");
        var environment = new Dictionary<string, string>(env ?? [])
        {
            ["Logging__LogLevel__Default"] = "Warning",
            ["DOTNET_ENVIRONMENT"] = "Production",
        };
        var (exitCode, output) = await ExternalProcess.RunAsync("/bin/sh", shellArguments, TimeSpan.FromMinutes(1), environment: environment);
        Assert.True(exitCode == 0, $"child exited with {exitCode}:\n{output}");

        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("incident.process.memory.limit ", StringComparison.Ordinal));
        Assert.True(line is not null, $"child printed no limit:\n{output}");
        var parts = line.Split(' ');
        Assert.Contains(output.Split('\n'), l => l.StartsWith("process.uptime ", StringComparison.Ordinal));
        return (long.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]["incident.memory.limit.source=".Length..]);
    }
}
