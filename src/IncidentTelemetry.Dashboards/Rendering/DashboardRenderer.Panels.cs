using System.Text.Json.Nodes;
using IncidentTelemetry.Dashboards.Model;

namespace IncidentTelemetry.Dashboards.Rendering;

/// <summary>One panel of a dashboard: its field config, thresholds, overrides, links, options and queries.</summary>
internal static partial class DashboardRenderer
{
    private static JsonObject Panel(PanelSpec panel, int id, JsonObject gridPos, IReadOnlyDictionary<string, DashboardSpec> bySlug)
    {
        var defaults = new JsonObject
        {
            ["color"] = Obj(("mode", panel.Kind == PanelKind.TimeSeries ? "palette-classic" : "thresholds")),
            ["thresholds"] = Thresholds(panel.Thresholds),
            ["unit"] = panel.Unit,
        };
        if (panel.Min is { } min)
        {
            defaults["min"] = min;
        }

        if (panel.Max is { } max)
        {
            defaults["max"] = max;
        }

        if (panel.Kind == PanelKind.TimeSeries)
        {
            defaults["custom"] = new JsonObject
            {
                ["drawStyle"] = "line",
                ["fillOpacity"] = 10,
                ["lineWidth"] = 1,
                ["showPoints"] = "never",
                ["spanNulls"] = false,
                ["thresholdsStyle"] = Obj(("mode", panel.Thresholds.Count > 0 ? "line" : "off")),
            };
        }

        var result = new JsonObject
        {
            ["datasource"] = Datasource(),
            ["description"] = Describe(panel),
            ["fieldConfig"] = new JsonObject { ["defaults"] = defaults, ["overrides"] = Overrides(panel) },
            ["gridPos"] = gridPos,
            ["id"] = id,
            ["links"] = PanelLinks(panel, bySlug),
            ["options"] = Options(panel.Kind),
            ["targets"] = Targets(panel),
            ["title"] = panel.Title,
            ["type"] = PanelType(panel.Kind),
        };
        if (panel.Kind == PanelKind.Table)
        {
            // An instant table query returns one column per label plus Time: drop the time column.
            result["transformations"] = new JsonArray(new JsonObject
            {
                ["id"] = "organize",
                ["options"] = new JsonObject { ["excludeByName"] = new JsonObject { ["Time"] = true } },
            });
        }

        return result;
    }

    /// <summary>The panel's question, plus which alert each threshold line belongs to (shown in Grafana's panel info).</summary>
    private static string Describe(PanelSpec panel)
    {
        var lines = panel.Thresholds.OrderBy(t => t.Value).Select(t => $"{Format(t.Value, panel.Unit)} ({t.Alert})").ToList();
        return lines.Count == 0 ? panel.Description : $"{panel.Description} Thresholds: {string.Join(", ", lines)}.";
    }

    private static string Format(double value, string unit) => unit switch
    {
        "s" when value < 1 => FormattableString.Invariant($"{value * 1000} ms"),
        "s" => FormattableString.Invariant($"{value} s"),
        "percentunit" => FormattableString.Invariant($"{value * 100} %"),
        "cps" or "ops" => FormattableString.Invariant($"{value}/s"),
        _ => FormattableString.Invariant($"{value}"),
    };

    private static JsonObject Thresholds(IReadOnlyList<ThresholdSpec> thresholds)
    {
        var steps = new JsonArray(Obj(("color", "green"), ("value", null)));
        foreach (var t in thresholds.OrderBy(t => t.Value))
        {
            steps.Add(Obj(("color", t.Color), ("value", t.Value)));
        }

        return new JsonObject { ["mode"] = "absolute", ["steps"] = steps };
    }

    private static JsonArray Overrides(PanelSpec panel)
    {
        var overrides = new JsonArray();
        for (var i = 0; i < panel.Queries.Count; i++)
        {
            if (panel.Queries[i].Style != SeriesStyle.Reference)
            {
                continue;
            }

            overrides.Add(new JsonObject
            {
                ["matcher"] = Obj(("id", "byFrameRefID"), ("options", RefId(i))),
                ["properties"] = new JsonArray(
                    Obj(("id", "custom.lineStyle"), ("value", new JsonObject { ["dash"] = new JsonArray(10, 10), ["fill"] = "dash" })),
                    Obj(("id", "custom.fillOpacity"), ("value", 0)),
                    Obj(("id", "color"), ("value", Obj(("fixedColor", "text"), ("mode", "fixed"))))),
            });
        }

        return overrides;
    }

    private static JsonArray PanelLinks(PanelSpec panel, IReadOnlyDictionary<string, DashboardSpec> bySlug)
    {
        var links = new JsonArray();
        if (panel.DrillDown is { } slug)
        {
            var target = bySlug[slug];
            links.Add(new JsonObject
            {
                ["targetBlank"] = false,
                ["title"] = "Drill down: " + ShortTitle(target),
                ["url"] = "/d/" + target.Uid + "?${__url_time_range}&${__all_variables}",
            });
        }

        return links;
    }

    private static JsonObject Options(PanelKind kind)
    {
        var reduce = new JsonObject { ["calcs"] = new JsonArray("lastNotNull"), ["fields"] = "", ["values"] = false };
        return kind switch
        {
            PanelKind.TimeSeries => new JsonObject
            {
                ["legend"] = new JsonObject { ["calcs"] = new JsonArray("mean", "max"), ["displayMode"] = "table", ["placement"] = "bottom", ["showLegend"] = true },
                ["tooltip"] = Obj(("mode", "multi"), ("sort", "desc")),
            },
            PanelKind.Stat => new JsonObject
            {
                ["colorMode"] = "value",
                ["graphMode"] = "none",
                ["justifyMode"] = "auto",
                ["orientation"] = "auto",
                ["reduceOptions"] = reduce,
                ["textMode"] = "auto",
            },
            PanelKind.BarGauge => new JsonObject
            {
                ["displayMode"] = "gradient",
                ["orientation"] = "horizontal",
                ["reduceOptions"] = reduce,
                ["showUnfilled"] = true,
            },
            _ => new JsonObject { ["cellHeight"] = "sm", ["showHeader"] = true },
        };
    }

    private static JsonArray Targets(PanelSpec panel)
    {
        var targets = new JsonArray();
        for (var i = 0; i < panel.Queries.Count; i++)
        {
            var q = panel.Queries[i];
            targets.Add(new JsonObject
            {
                ["datasource"] = Datasource(),
                ["editorMode"] = "code",
                ["expr"] = q.Expr,
                ["format"] = panel.Kind == PanelKind.Table ? "table" : "time_series",
                ["instant"] = panel.Instant,
                ["legendFormat"] = q.Legend,
                ["range"] = !panel.Instant,
                ["refId"] = RefId(i),
            });
        }

        return targets;
    }

    private static string RefId(int index) => ((char)('A' + index)).ToString();

    private static string PanelType(PanelKind kind) => kind switch
    {
        PanelKind.TimeSeries => "timeseries",
        PanelKind.Stat => "stat",
        PanelKind.BarGauge => "bargauge",
        _ => "table",
    };
}
