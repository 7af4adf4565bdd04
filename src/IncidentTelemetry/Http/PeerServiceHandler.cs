using System.Net.Http.Metrics;
using IncidentTelemetry.Internal;

namespace IncidentTelemetry.Http;

/// <summary>
/// The outermost handler of a named <see cref="HttpClient"/>: asks the runtime's HttpClient metrics to add
/// <c>peer.service</c> = the client's registration name to <c>http.client.request.duration</c> (and the other
/// <c>System.Net.Http</c> request instruments) of every request sent through it.
/// </summary>
internal sealed class PeerServiceHandler : DelegatingHandler
{
    public const string Attribute = MetricsConstants.PeerServiceAttribute;

    // The marker is one shared object: setting a bool would box it on every request.
    private static readonly HttpRequestOptionsKey<object> Enriched = new("IncidentTelemetry.PeerService");
    private static readonly object Marker = new();

    private readonly Action<HttpMetricsEnrichmentContext> enrich;

    public PeerServiceHandler(string peerService)
    {
        this.PeerService = peerService;

        // One delegate per handler, reused by every request.
        this.enrich = context => context.AddCustomTag(Attribute, peerService);
    }

    public string PeerService { get; }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        this.Enrich(request);
        return base.Send(request, cancellationToken);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        this.Enrich(request);
        return base.SendAsync(request, cancellationToken);
    }

    private void Enrich(HttpRequestMessage request)
    {
        try
        {
            // A request sent again (a retry reusing the message) keeps the one tag it already has.
            if (request.Options.TryGetValue(Enriched, out _))
            {
                return;
            }

            request.Options.Set(Enriched, Marker);
            HttpMetricsEnrichmentContext.AddCallback(request, this.enrich);
        }
        catch (Exception ex)
        {
            IncidentTelemetryEventSource.Log.CallbackFailed(Attribute + " enrichment", ex);
        }
    }
}
