using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// The series a scrape benchmark exports: 40 % counters, 30 % gauges, 30 % latency histograms (with the library's 16
/// default buckets in the provider that listens). Attributes look like ASP.NET Core's: a route template, a method and
/// an integer status code.
/// </summary>
internal static class ScrapeFixture
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE"];
    private static readonly int[] Statuses = [200, 201, 204, 301, 400, 401, 404, 409, 500, 503];

    /// <summary>Records <paramref name="series"/> series on <paramref name="meter"/>: 40 % counters, 30 % gauges, 30 % histograms.</summary>
    public static void Fill(Meter meter, int series)
    {
        var perKind = series / 10;
        var counter = meter.CreateCounter<long>("shop.requests.handled", "{request}", "Requests handled.");
        var gauge = meter.CreateUpDownCounter<long>("shop.requests.active", "{request}", "Requests in flight.");
        var histogram = meter.CreateHistogram<double>("shop.request.duration", "s", "Request duration.");
        var random = new Random(42);
        for (var i = 0; i < perKind * 4; i++)
        {
            counter.Add(1 + random.Next(1000), Tags(i));
        }

        for (var i = 0; i < perKind * 3; i++)
        {
            gauge.Add(random.Next(64), Tags(i));
        }

        for (var i = 0; i < perKind * 3; i++)
        {
            var tags = Tags(i);
            for (var j = 0; j < 4; j++)
            {
                histogram.Record(random.NextDouble() * random.NextDouble() * 3, tags);
            }
        }
    }

    private static TagList Tags(int i) => new()
    {
        { "http.route", $"/api/resource{i / 40}/{{id}}" },
        { "http.request.method", Methods[i % Methods.Length] },
        { "http.response.status_code", Statuses[(i / Methods.Length) % Statuses.Length] },
    };
}
