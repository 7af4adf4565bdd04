using System.Net.Http.Metrics;
using BenchmarkDotNet.Attributes;
using IncidentTelemetry.Http;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// Sending one request through a named client's handler chain, with and without the handler that adds
/// <c>peer.service</c> to the runtime's HttpClient metrics. The network is left out (the last handler answers at
/// once) so that the few hundred nanoseconds of the handler are not lost in a loopback round trip; both cases
/// create the same request message.
/// </summary>
[MemoryDiagnoser]
public class DependencyBenchmarks : IDisposable
{
    private static readonly Uri Target = new("http://inventory.local/stock/42");
    private HttpMessageInvoker bare = null!;
    private HttpMessageInvoker enriched = null!;
    private HttpMessageInvoker runtimeOnly = null!;

    [GlobalSetup]
    public void Setup()
    {
        this.bare = new HttpMessageInvoker(new Answering());
        this.enriched = new HttpMessageInvoker(new PeerServiceHandler("inventory-service") { InnerHandler = new Answering() });
        this.runtimeOnly = new HttpMessageInvoker(new RuntimeEnrichmentOnly { InnerHandler = new Answering() });
    }

    /// <summary>BenchmarkDotNet's global cleanup.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        this.bare?.Dispose();
        this.enriched?.Dispose();
        this.runtimeOnly?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public HttpResponseMessage Send_Bare() => Send(this.bare);

    [Benchmark]
    public HttpResponseMessage Send_PeerService() => Send(this.enriched);

    /// <summary>
    /// The floor: a handler that does nothing but register one cached callback with the runtime's
    /// <see cref="HttpMetricsEnrichmentContext.AddCallback"/>, the only way to add a tag to the HttpClient metrics.
    /// </summary>
    [Benchmark]
    public HttpResponseMessage Send_RuntimeEnrichmentOnly() => Send(this.runtimeOnly);

    private static HttpResponseMessage Send(HttpMessageInvoker invoker)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Target);
        return invoker.Send(request, CancellationToken.None);
    }

    /// <summary>Registers one cached enrichment callback per request, nothing else.</summary>
    private sealed class RuntimeEnrichmentOnly : DelegatingHandler
    {
        private static readonly Action<HttpMetricsEnrichmentContext> Enrich = static context => context.AddCustomTag("peer.service", "inventory-service");

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpMetricsEnrichmentContext.AddCallback(request, Enrich);
            return base.Send(request, cancellationToken);
        }
    }

    /// <summary>The end of the chain: one response object, answered at once.</summary>
    private sealed class Answering : HttpMessageHandler
    {
        private readonly HttpResponseMessage response = new(System.Net.HttpStatusCode.OK);

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => this.response;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(this.response);
    }
}
