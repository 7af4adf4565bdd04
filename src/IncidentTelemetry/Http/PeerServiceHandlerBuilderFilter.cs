using IncidentTelemetry.Internal;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace IncidentTelemetry.Http;

/// <summary>
/// Adds <see cref="PeerServiceHandler"/> to every client that <c>IHttpClientFactory</c> builds under a name
/// (<c>AddHttpClient("inventory-service", ...)</c> or a typed client). The names come from the app's registrations, so
/// <c>peer.service</c> stays bounded; the unnamed default client gets no <c>peer.service</c>.
/// </summary>
internal sealed class PeerServiceHandlerBuilderFilter : IHttpMessageHandlerBuilderFilter
{
    public const int MaxNameLength = 128;

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return builder =>
        {
            next(builder);

            var name = builder.Name;
            if (string.IsNullOrEmpty(name) || name == Options.DefaultName)
            {
                return;
            }

            if (name.Length > MaxNameLength || name.Any(char.IsControl))
            {
                IncidentTelemetryEventSource.Log.Dropped($"peer.service: an HttpClient name longer than {MaxNameLength} characters or with control characters was not used.");
                return;
            }

            builder.AdditionalHandlers.Insert(0, new PeerServiceHandler(name));
        };
    }
}
