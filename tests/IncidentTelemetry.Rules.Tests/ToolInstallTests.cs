using System.Security;

namespace IncidentTelemetry.Rules.Tests;

/// <summary>
/// The tool installs as README.md and docs/alerts.md say (<c>dotnet tool install --global IncidentTelemetry.Tool
/// --prerelease</c>): packed from this build into a local feed, the only source, and installed into a temporary tool
/// path. Its only version is a prerelease (it follows the OpenTelemetry Prometheus exporter's), so the command without
/// <c>--prerelease</c> finds nothing.
/// </summary>
public sealed class ToolInstallTests : IDisposable
{
    private readonly TempDirectory directory = new("tool-install-");

    public void Dispose() => this.directory.Dispose();

    [Fact]
    public async Task Install_LocalFeedWithPrerelease_InstalledToolRendersTheRules()
    {
        var config = await this.PackToLocalFeedAsync();

        var install = await Dotnet("tool", "install", "IncidentTelemetry.Tool", "--prerelease", "--tool-path", this.directory.Combine("tools"), "--configfile", config);
        Assert.True(install.ExitCode == 0, install.Output);

        var tool = this.directory.Combine("tools", OperatingSystem.IsWindows() ? "incident-telemetry.exe" : "incident-telemetry");
        var render = await ExternalProcess.RunAsync(tool, ["rules", "render", "--format", "prometheus", "--out", this.directory.Combine("out")], TimeSpan.FromMinutes(1));
        Assert.True(render.ExitCode == 0, render.Output);
        var rules = await File.ReadAllTextAsync(this.directory.Combine("out", RuleRenderer.FileName(RuleFormat.Prometheus)));
        Assert.Contains($"alert: {AlertName.ConnectionPoolTimeouts}", rules, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_LocalFeedWithoutPrerelease_FindsNoVersion()
    {
        var config = await this.PackToLocalFeedAsync();

        var install = await Dotnet("tool", "install", "IncidentTelemetry.Tool", "--tool-path", this.directory.Combine("tools"), "--configfile", config);

        Assert.NotEqual(0, install.ExitCode);
        Assert.False(File.Exists(this.directory.Combine("tools", "incident-telemetry")), install.Output);
    }

    private static Task<(int ExitCode, string Output)> Dotnet(params string[] arguments) =>
        ExternalProcess.RunAsync("dotnet", arguments, TimeSpan.FromMinutes(2), environment: new Dictionary<string, string> { ["DOTNET_NOLOGO"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });

    /// <summary>Packs the tool as built for these tests (no rebuild) into a feed that a NuGet.config makes the only source.</summary>
    private async Task<string> PackToLocalFeedAsync()
    {
        var feed = this.directory.Combine("feed");
        var pack = await Dotnet(
            "pack", Repository.File("src", "IncidentTelemetry.Tool", "IncidentTelemetry.Tool.csproj"), "--no-build", "--no-restore",
            "-c", Repository.Configuration, "-o", feed, "-p:PublishDir=" + this.directory.Combine("publish") + Path.DirectorySeparatorChar);
        Assert.True(pack.ExitCode == 0, pack.Output);
        Assert.Single(Directory.GetFiles(feed, "IncidentTelemetry.Tool.*-*.nupkg"));

        var config = this.directory.Combine("nuget.config");
        await File.WriteAllTextAsync(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{SecurityElement.Escape(feed)}" />
              </packageSources>
            </configuration>
            """);
        return config;
    }
}
