using System.Text.Encodings.Web;
using System.Text.Json;
using IncidentTelemetry.Dashboards;

// Usage:
//   IncidentTelemetry.Dashboards render [directory]   write every dashboard (default: dashboards)
//   IncidentTelemetry.Dashboards queries              print every query, variables substituted, as JSON lines
var command = args.Length > 0 ? args[0] : "render";
switch (command)
{
    case "render":
        foreach (var path in DashboardCatalog.WriteTo(args.Length > 1 ? args[1] : "dashboards"))
        {
            Console.WriteLine(path);
        }

        return 0;
    case "queries":
        foreach (var q in DashboardCatalog.AllQueries())
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["dashboard"] = q.Dashboard,
                ["kind"] = q.Kind.ToString().ToLowerInvariant(),
                ["title"] = q.Title,
                ["refId"] = q.RefId,
                ["instant"] = q.Instant,
                ["query"] = q.Substituted,
            }, Relaxed));
        }

        return 0;
    default:
        Console.Error.WriteLine("usage: IncidentTelemetry.Dashboards render [directory] | queries");
        return 2;
}

internal static partial class Program
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
