// Starts a generic host with AddIncidentTelemetry(), observes the IncidentTelemetry.Process meter once
// through a MeterListener and prints one line per measurement:
//   incident.process.memory.limit 268435456 incident.memory.limit.source=cgroup_v1
//   process.uptime 0.412
using System.Diagnostics.Metrics;
using System.Globalization;
using IncidentTelemetry;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.AddIncidentTelemetry();
using var host = builder.Build();
await host.StartAsync();

using var listener = new MeterListener
{
    InstrumentPublished = (instrument, l) =>
    {
        if (instrument.Meter.Name == "IncidentTelemetry.Process")
        {
            l.EnableMeasurementEvents(instrument);
        }
    },
};
listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Print(instrument, value, tags));
listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Print(instrument, value, tags));
listener.Start();
listener.RecordObservableInstruments();

await host.StopAsync();
return 0;

static void Print<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    where T : IFormattable
{
    var line = $"{instrument.Name} {value.ToString(null, CultureInfo.InvariantCulture)}";
    foreach (var tag in tags)
    {
        line += $" {tag.Key}={tag.Value}";
    }

    Console.WriteLine(line);
}
