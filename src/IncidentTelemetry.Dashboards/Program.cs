using IncidentTelemetry.Dashboards;

// Usage:
//   IncidentTelemetry.Dashboards render [directory]   write every dashboard (default: dashboards)
var command = args.Length > 0 ? args[0] : "render";
switch (command)
{
    case "render":
        foreach (var path in DashboardCatalog.WriteTo(args.Length > 1 ? args[1] : "dashboards"))
        {
            Console.WriteLine(path);
        }

        return 0;
    default:
        Console.Error.WriteLine("usage: IncidentTelemetry.Dashboards render [directory]");
        return 2;
}
