using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>One measurement as a listener saw it.</summary>
internal sealed record CapturedMeasurement(string Meter, string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags, bool FromMeterFactory)
{
    public string? Tag(string key) => this.Tags.TryGetValue(key, out var value) ? value?.ToString() : null;
}

/// <summary>
/// A <see cref="MeterListener"/> on the given meters that keeps every measurement. Observable instruments are read
/// on demand with <see cref="Observe"/>. Tests run in parallel, so callers filter by their own pool name.
/// </summary>
internal sealed class MeterCapture : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<CapturedMeasurement> measurements = new();
    private readonly ConcurrentDictionary<string, Instrument> instruments = new();

    public MeterCapture(params string[] meterNames)
    {
        this.listener.InstrumentPublished = (instrument, l) =>
        {
            if (meterNames.Contains(instrument.Meter.Name))
            {
                this.instruments[instrument.Meter.Name + "/" + instrument.Name] = instrument;
                l.EnableMeasurementEvents(instrument);
            }
        };
        this.listener.SetMeasurementEventCallback<long>((i, v, t, _) => this.Add(i, v, t));
        this.listener.SetMeasurementEventCallback<int>((i, v, t, _) => this.Add(i, v, t));
        this.listener.SetMeasurementEventCallback<double>((i, v, t, _) => this.Add(i, v, t));
        this.listener.Start();
    }

    /// <summary>Instruments seen, as "meter/name".</summary>
    public ICollection<string> InstrumentNames => this.instruments.Keys;

    public IReadOnlyList<CapturedMeasurement> All => [.. this.measurements];

    /// <summary>Measurements pushed so far by <paramref name="meter"/>'s <paramref name="instrument"/>.</summary>
    public IReadOnlyList<CapturedMeasurement> Recorded(string meter, string instrument)
        => [.. this.measurements.Where(m => m.Meter == meter && m.Instrument == instrument)];

    /// <summary>Reads the observable instruments now and returns only what that reading produced.</summary>
    public IReadOnlyList<CapturedMeasurement> Observe()
    {
        lock (this.listener)
        {
            var before = this.measurements.Count;
            this.listener.RecordObservableInstruments();
            return [.. this.measurements.Skip(before).Where(m => this.instruments.TryGetValue(m.Meter + "/" + m.Instrument, out var i) && i.IsObservable)];
        }
    }

    public void Dispose() => this.listener.Dispose();

    private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var dictionary = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            dictionary[tag.Key] = tag.Value;
        }

        this.measurements.Enqueue(new CapturedMeasurement(instrument.Meter.Name, instrument.Name, instrument.Unit, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), dictionary, instrument.Meter.Scope is not null));
    }
}
