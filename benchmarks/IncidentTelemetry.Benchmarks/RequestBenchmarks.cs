using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// One ASP.NET Core request through the in-memory test server, to a route like the sample's catalog item,
/// in an app without metrics and in the same app with <c>AddIncidentTelemetry()</c> (so that the hosting
/// meter records http.server.request.duration with route, method and status, and a MeterProvider listens).
/// The difference is what the library's endpoint signal costs per request.
/// </summary>
[MemoryDiagnoser]
public class RequestBenchmarks
{
    private WebApplication bare = null!;
    private WebApplication full = null!;
    private HttpClient bareClient = null!;
    private HttpClient fullClient = null!;

    [GlobalSetup]
    public void Setup()
    {
        this.bare = Build(withTelemetry: false);
        this.full = Build(withTelemetry: true);
        this.bareClient = this.bare.GetTestClient();
        this.fullClient = this.full.GetTestClient();
        this.Request_Bare();
        this.Request_Full();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        this.bareClient.Dispose();
        this.fullClient.Dispose();
        this.bare.StopAsync().GetAwaiter().GetResult();
        this.full.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)this.bare).Dispose();
        ((IDisposable)this.full).Dispose();
    }

    [Benchmark(Baseline = true)]
    public int Request_Bare() => Send(this.bareClient);

    [Benchmark]
    public int Request_Full() => Send(this.fullClient);

    private static int Send(HttpClient client)
    {
        using var response = client.GetAsync(new Uri("/catalog/items/42", UriKind.Relative)).GetAwaiter().GetResult();
        return (int)response.StatusCode;
    }

    private static WebApplication Build(bool withTelemetry)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        if (withTelemetry)
        {
            builder.AddIncidentTelemetry(o => o.ServiceName = "bench");
        }

        var app = builder.Build();
        app.MapGet("/catalog/items/{id:int}", (int id) => Results.Ok(new Item(id, "item", 10 + (id % 90))));
        app.StartAsync().GetAwaiter().GetResult();
        return app;
    }

    private sealed record Item(int Id, string Name, int Price);
}
