using System.CommandLine;
using System.CommandLine.Help;
using IncidentTelemetry.Rules;

namespace IncidentTelemetry.Tool;

/// <summary>
/// <c>incident-telemetry rules render [--config FILE] [--format prometheus|prometheus-operator] [--out DIR]</c>.
/// Exit codes: 0 written, 1 invalid configuration (nothing written), 2 bad command line.
/// </summary>
internal static class RulesCli
{
    /// <summary>The command users type: the tool's ToolCommandName.</summary>
    public const string CommandName = "incident-telemetry";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var config = new Option<FileInfo?>("--config") { Description = "YAML configuration (services, teams, thresholds and floors, for durations, labels, aggregationLabels, prometheusRule, timeScale); without it every job gets the reviews' defaults." };
        var format = new Option<string>("--format")
        {
            Description = "prometheus (a rule file) or prometheus-operator (a PrometheusRule manifest).",
            DefaultValueFactory = _ => "prometheus",
        };
        format.AcceptOnlyFromAmong("prometheus", "prometheus-operator");
        var outDir = new Option<DirectoryInfo>("--out")
        {
            Description = "Directory to write the file into (created when missing).",
            DefaultValueFactory = _ => new DirectoryInfo("."),
        };

        var render = new Command("render", "Render the alert and recording rules.") { config, format, outDir };
        render.SetAction(parse =>
        {
            var chosen = parse.GetValue(format) == "prometheus-operator" ? RuleFormat.PrometheusOperator : RuleFormat.Prometheus;
            return Render(parse.GetValue(config), chosen, parse.GetValue(outDir)!, output, error);
        });
        // Named after the tool's command (ToolCommandName), not the assembly, so that --help shows what users type.
        var root = new Command(CommandName, "IncidentTelemetry: alert rules for the incident signals.") { new Command("rules", "Alert rules.") { render } };
        root.Options.Add(new HelpOption());
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors)
            {
                error.WriteLine(e.Message);
            }

            return 2;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    private static int Render(FileInfo? configFile, RuleFormat format, DirectoryInfo outDir, TextWriter output, TextWriter error)
    {
        string yaml;
        try
        {
            var configuration = configFile is null ? RulesConfiguration.Default : RulesConfiguration.Load(configFile.FullName);
            yaml = RuleRenderer.Render(configuration, format);
        }
        catch (RulesConfigurationException ex)
        {
            error.WriteLine($"error: {configFile?.FullName ?? "(defaults)"}: {ex.Message}");
            return 1;
        }
        catch (IOException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return 1;
        }

        outDir.Create();
        var path = Path.Combine(outDir.FullName, RuleRenderer.FileName(format));
        File.WriteAllText(path, yaml);
        output.WriteLine(path);
        return 0;
    }
}
