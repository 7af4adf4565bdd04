using IncidentTelemetry.Dashboards;
using IncidentTelemetry.Dashboards.Documentation;

// Usage:
//   IncidentTelemetry.Dashboards render [directory]   write every dashboard (default: dashboards)
//   IncidentTelemetry.Dashboards docs [repository]    render the metric tables of docs/metrics.md and the package
//                                                     READMEs from the catalogue (default: the current directory)
var command = args.Length > 0 ? args[0] : "render";
switch (command)
{
    case "render":
        foreach (var path in DashboardCatalog.WriteTo(args.Length > 1 ? args[1] : "dashboards"))
        {
            Console.WriteLine(path);
        }

        return 0;
    case "docs":
        foreach (var path in MetricDocuments.WriteTo(args.Length > 1 ? args[1] : "."))
        {
            Console.WriteLine(path);
        }

        return 0;
    default:
        Console.Error.WriteLine("usage: IncidentTelemetry.Dashboards render [directory] | docs [repository]");
        return 2;
}
