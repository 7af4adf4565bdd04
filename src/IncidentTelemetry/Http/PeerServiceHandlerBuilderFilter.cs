using IncidentTelemetry.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace IncidentTelemetry.Http;

/// <summary>
/// Adds <see cref="PeerServiceHandler"/> to every client that <c>IHttpClientFactory</c> builds under a name
/// (<c>AddHttpClient("inventory-service", ...)</c> or a typed client). The names come from the app's registrations, so
/// <c>peer.service</c> stays bounded; the unnamed default client gets no <c>peer.service</c>. A name becomes
/// <c>peer.service</c> only if it follows the one name rule (<see cref="NameValidator"/>), like every other name the app
/// gives: a client named after a host or a typed client's type name (<c>InventoryClient</c>) gets none; name it, as in
/// <c>AddHttpClient&lt;InventoryClient&gt;("inventory-service")</c>. The filter runs when a client is built, not at
/// startup, so a name that breaks the rule is reported on the event source instead of throwing.
/// </summary>
internal sealed class PeerServiceHandlerBuilderFilter : IHttpMessageHandlerBuilderFilter
{
    /// <summary>
    /// What the signal registers (its row in <see cref="Signals"/>): this filter, for every named HttpClient; the
    /// duration itself is measured by the runtime.
    /// </summary>
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, PeerServiceHandlerBuilderFilter>());
    }

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

            if (!NameValidator.IsValid(name))
            {
                IncidentTelemetryEventSource.Log.Dropped($"{PeerServiceHandler.Attribute}: the HttpClient name '{name}' does not follow the name rule (1 to {NameValidator.MaxLength} characters among a-z, A-Z, 0-9, '-', '_' and '.') and was not used.");
                return;
            }

            builder.AdditionalHandlers.Insert(0, new PeerServiceHandler(name));
        };
    }
}
