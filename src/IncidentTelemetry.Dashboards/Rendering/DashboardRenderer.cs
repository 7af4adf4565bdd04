using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.Json;
using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Dashboards.Definitions;
using IncidentTelemetry.Dashboards.Model;

namespace IncidentTelemetry.Dashboards.Rendering;

/// <summary>
/// Turns a <see cref="DashboardSpec"/> into Grafana dashboard JSON (schema 39, Grafana 10+) that the import
/// dialog and file provisioning both accept. Output is deterministic: same spec, same bytes.
/// </summary>
/// <remarks>
/// Two files: this one the dashboard (its header, links, variables and the grid that places the panels);
/// <c>DashboardRenderer.Panels.cs</c> one panel (field config, thresholds, overrides, links, options, queries).
/// </remarks>
internal static partial class DashboardRenderer
{
    private const int Columns = 24;

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",

        // PromQL is full of quotes, '>' and '+': keep it readable in the committed JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(JsonObject dashboard) => dashboard.ToJsonString(WriteOptions) + "\n";

    public static JsonObject Render(DashboardSpec spec, IReadOnlyDictionary<string, DashboardSpec> bySlug)
    {
        var requires = new JsonArray(
            Obj(("type", "grafana"), ("id", "grafana"), ("name", "Grafana"), ("version", "10.0.0")),
            Obj(("type", "datasource"), ("id", "prometheus"), ("name", "Prometheus"), ("version", "1.0.0")));
        foreach (var kind in spec.Sections.SelectMany(s => s.Panels).Select(p => PanelType(p.Kind)).Distinct().Order(StringComparer.Ordinal))
        {
            requires.Add(Obj(("type", "panel"), ("id", kind), ("name", kind), ("version", "")));
        }

        return new JsonObject
        {
            ["__inputs"] = new JsonArray(Obj(
                ("name", DashboardSettings.DatasourceInput),
                ("label", "Prometheus"),
                ("description", "The Prometheus that scrapes the services and redis_exporter"),
                ("type", "datasource"),
                ("pluginId", "prometheus"),
                ("pluginName", "Prometheus"))),
            ["__requires"] = requires,
            ["annotations"] = new JsonObject { ["list"] = Annotations(spec) },
            ["description"] = spec.Description,
            ["editable"] = true,
            ["fiscalYearStartMonth"] = 0,
            ["graphTooltip"] = 1,
            ["id"] = null,
            ["links"] = Links(spec, bySlug),
            ["panels"] = Panels(spec, bySlug),
            ["refresh"] = DashboardSettings.DefaultRefresh,
            ["schemaVersion"] = 39,
            ["tags"] = new JsonArray([.. new[] { DashboardSettings.Tag }.Concat(spec.Tags).Select(t => (JsonNode)t)]),
            ["templating"] = new JsonObject { ["list"] = Templating(spec) },
            ["time"] = Obj(("from", DashboardSettings.DefaultFrom), ("to", "now")),
            ["timepicker"] = new JsonObject(),
            ["timezone"] = "browser",
            ["title"] = spec.Title,
            ["uid"] = spec.Uid,
            ["version"] = 1,
        };
    }

    private static JsonObject Datasource() => Obj(("type", "prometheus"), ("uid", DashboardSettings.DatasourceRef));

    private static JsonArray Annotations(DashboardSpec spec)
    {
        var list = new JsonArray();
        if (spec.AlertAnnotations)
        {
            list.Add(new JsonObject
            {
                ["datasource"] = Datasource(),
                ["enable"] = true,
                ["expr"] = Promql.Selector(MetricCatalogue.Alerts, Promql.Is(Labels.AlertState, "firing")),
                ["iconColor"] = "red",
                ["name"] = "Firing alerts",
                ["step"] = "1m",
                ["tagKeys"] = $"{Labels.AlertName},{Labels.Severity}",
                ["textFormat"] = $"{Promql.L(Labels.AlertName)} ({Promql.L(Labels.Severity)}) {Promql.Legend(Labels.Job, Labels.Instance)}",
                ["titleFormat"] = Promql.L(Labels.AlertName),
                ["useValueForTime"] = false,
            });
        }

        return list;
    }

    private static JsonArray Links(DashboardSpec spec, IReadOnlyDictionary<string, DashboardSpec> bySlug)
    {
        var links = new JsonArray();
        foreach (var slug in spec.LinkedSlugs)
        {
            var target = bySlug[slug];
            links.Add(new JsonObject
            {
                ["asDropdown"] = false,
                ["icon"] = "dashboard",
                ["includeVars"] = true,
                ["keepTime"] = true,
                ["tags"] = new JsonArray(),
                ["targetBlank"] = false,
                ["title"] = ShortTitle(target),
                ["tooltip"] = target.Description,
                ["type"] = "link",
                ["url"] = "/d/" + target.Uid,
            });
        }

        return links;
    }

    private static string ShortTitle(DashboardSpec spec) => spec.Title[(spec.Title.LastIndexOf('/') + 1)..].Trim();

    private static JsonArray Templating(DashboardSpec spec)
    {
        var list = new JsonArray
        {
            new JsonObject
            {
                ["current"] = Obj(("selected", false), ("text", "${" + DashboardSettings.DatasourceInput + "}"), ("value", "${" + DashboardSettings.DatasourceInput + "}")),
                ["hide"] = 0,
                ["includeAll"] = false,
                ["label"] = "Data source",
                ["multi"] = false,
                ["name"] = "datasource",
                ["options"] = new JsonArray(),
                ["query"] = "prometheus",
                ["refresh"] = 1,
                ["regex"] = "",
                ["skipUrlSync"] = false,
                ["type"] = "datasource",
            },
        };
        foreach (var v in spec.Variables)
        {
            list.Add(new JsonObject
            {
                ["allValue"] = v.AllValue,
                ["current"] = Obj(("selected", true), ("text", new JsonArray("All")), ("value", new JsonArray("$__all"))),
                ["datasource"] = Datasource(),
                ["definition"] = v.Query,
                ["hide"] = 0,
                ["includeAll"] = true,
                ["label"] = v.DisplayName,
                ["multi"] = true,
                ["name"] = v.Name,
                ["options"] = new JsonArray(),
                ["query"] = v.Query,
                ["refresh"] = 2,
                ["regex"] = "",
                ["skipUrlSync"] = false,
                ["sort"] = 1,
                ["type"] = "query",
            });
        }

        return list;
    }

    private static JsonArray Panels(DashboardSpec spec, IReadOnlyDictionary<string, DashboardSpec> bySlug)
    {
        var panels = new JsonArray();
        var id = 1;
        var y = 0;
        foreach (var section in spec.Sections)
        {
            panels.Add(new JsonObject
            {
                ["collapsed"] = false,
                ["gridPos"] = Grid(0, y, Columns, 1),
                ["id"] = id++,
                ["panels"] = new JsonArray(),
                ["title"] = section.Title,
                ["type"] = "row",
            });
            y += 1;

            var x = 0;
            var lineHeight = 0;
            foreach (var panel in section.Panels)
            {
                if (x + panel.Width > Columns)
                {
                    y += lineHeight;
                    x = 0;
                    lineHeight = 0;
                }

                panels.Add(Panel(panel, id++, Grid(x, y, panel.Width, panel.Height), bySlug));
                x += panel.Width;
                lineHeight = Math.Max(lineHeight, panel.Height);
            }

            y += lineHeight;
        }

        return panels;
    }

    private static JsonObject Grid(int x, int y, int w, int h) => Obj(("h", h), ("w", w), ("x", x), ("y", y));

    private static JsonObject Obj(params (string Key, JsonNode? Value)[] properties)
    {
        var o = new JsonObject();
        foreach (var (key, value) in properties)
        {
            o[key] = value;
        }

        return o;
    }
}
