namespace IncidentTelemetry.Rules.Tests.Infrastructure;

/// <summary>Runs the real promtool and amtool (scripts/install-test-tools.sh installs them).</summary>
internal static class Promtool
{
    public static Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
        => ExternalProcess.RunAsync("promtool", arguments, TimeSpan.FromMinutes(5));

    public static Task<(int ExitCode, string Output)> AmtoolAsync(params string[] arguments)
        => ExternalProcess.RunAsync("amtool", arguments, TimeSpan.FromMinutes(2));
}
