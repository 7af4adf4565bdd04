using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace IncidentTelemetry.Internal;

/// <summary>The smallest <see cref="IOpenTelemetryBuilder"/>: core OpenTelemetry's <c>WithMetrics</c> puts the provider in the app's container.</summary>
internal sealed class IncidentOpenTelemetryBuilder(IServiceCollection services) : IOpenTelemetryBuilder
{
    public IServiceCollection Services { get; } = services;
}
