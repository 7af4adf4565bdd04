using System.Diagnostics.Metrics;

namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>Reads the observable instruments of one meter factory once, like a scrape would.</summary>
internal static class GaugeReader
{
    public static List<(Instrument Instrument, double Value, Dictionary<string, object?> Tags)> Observe(object meterScope)
    {
        var seen = new List<(Instrument, double, Dictionary<string, object?>)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meterScope))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => seen.Add((i, v, ToDictionary(t))));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => seen.Add((i, v, ToDictionary(t))));
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }
}
