using IncidentTelemetry.Tool;

namespace IncidentTelemetry.Rules.Tests;

/// <summary><c>incident-telemetry rules render</c>, in process and as the built tool.</summary>
public sealed class CliTests
{
    [Theory]
    [InlineData("prometheus", RuleFormat.Prometheus)]
    [InlineData("prometheus-operator", RuleFormat.PrometheusOperator)]
    public void Run_RenderWithoutConfig_WritesTheDefaultRender(string format, RuleFormat expected)
    {
        using var dir = new TempDirectory("it-cli-");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = RulesCli.Run(["rules", "render", "--format", format, "--out", dir.Combine("out")], output, error);

        Assert.True(exit == 0, error.ToString());
        var file = dir.Combine("out", RuleRenderer.FileName(expected));
        Assert.Equal(RuleRenderer.Render(RulesConfiguration.Default, expected), File.ReadAllText(file));
        Assert.Contains(file, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadConfig_ExitsNonZeroNamesTheKeyAndWritesNothing()
    {
        using var dir = new TempDirectory("it-cli-");
        var config = dir.Combine("incident-telemetry.yaml");
        File.WriteAllText(config, "services:\n  payment-service:\n    team: payments\n    thresholds:\n      poolUtilisationWarning: 75\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = RulesCli.Run(["rules", "render", "--config", config, "--out", dir.Combine("out")], output, error);

        Assert.Equal(1, exit);
        Assert.Contains("services.payment-service.thresholds.poolUtilisationWarning", error.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    [Fact]
    public void Run_MissingConfigFile_ExitsNonZero()
    {
        using var dir = new TempDirectory("it-cli-");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = RulesCli.Run(["rules", "render", "--config", dir.Combine("nope.yaml"), "--out", dir.Combine("out")], output, error);

        Assert.NotEqual(0, exit);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    [Theory]
    [InlineData("rules", "render", "--format", "thanos")]
    [InlineData("rules", "draw")]
    [InlineData("rules", "render", "--colour", "blue")]
    public void Run_BadCommandLine_ExitsTwo(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, RulesCli.Run(args, output, error));
        Assert.NotEmpty(error.ToString());
    }

    [Fact]
    public async Task Tool_AsProcessWithScaledConfig_WritesRulesPromtoolAccepts()
    {
        using var dir = new TempDirectory("it-cli-");
        var config = dir.Combine("incident-telemetry.yaml");
        await File.WriteAllTextAsync(config, await File.ReadAllTextAsync(Infrastructure.SampleShop.ConfigurationFile) + "timeScale: 30\n");
        var tool = Path.Combine(AppContext.BaseDirectory, "IncidentTelemetry.Tool.dll");

        var (exit, output) = await ExternalProcess.RunAsync("dotnet", [tool, "rules", "render", "--config", config, "--out", dir.Path]);

        Assert.True(exit == 0, output);
        var file = dir.Combine("incident-telemetry.rules.yml");
        Assert.Equal(RuleRenderer.Render(Infrastructure.SampleShop.Configuration.WithTimeScale(30), RuleFormat.Prometheus), await File.ReadAllTextAsync(file));
        var (check, checkOutput) = await PrometheusTools.PromtoolAsync("check", "rules", file);
        Assert.True(check == 0, checkOutput);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("rules", "render", "--help")]
    public void Run_Help_NamesTheToolsCommand(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, RulesCli.Run(args, output, error));
        Assert.Contains("incident-telemetry ", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("IncidentTelemetry.Tool", output.ToString(), StringComparison.Ordinal);
    }
}
