using System.Collections;
using System.Net;
using System.Reflection;
using IncidentTelemetry.Catalogue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IncidentTelemetry.Internal;

/// <summary>
/// Validates <see cref="IncidentTelemetryOptions"/> once, at host start. Every message names the
/// configuration key with its full path (<c>IncidentTelemetry:MetricsEndpoint:Port</c>) and the offending value.
/// </summary>
/// <param name="section">
/// The configuration section the options are bound from, checked for keys that are no option (a misspelt
/// <c>IncidentTelemetry:ServiceNmae</c>); null when the options come from code only.
/// </param>
internal sealed class IncidentTelemetryOptionsValidator(IConfigurationSection? section = null) : IValidateOptions<IncidentTelemetryOptions>
{
    private const string Prefix = IncidentTelemetryOptions.SectionName + ":";
    private const string EndpointPrefix = Prefix + nameof(IncidentTelemetryOptions.MetricsEndpoint) + ":";

    public ValidateOptionsResult Validate(string? name, IncidentTelemetryOptions options)
    {
        var failures = new List<string>();
        if (section is not null)
        {
            // The configuration binder's own check (ErrorOnUnknownConfiguration) names only the last part of the key;
            // an operator searches the configuration for the full path.
            AddUnknownKeys(failures, section, typeof(IncidentTelemetryOptions));
        }

        if (options.CardinalityLimit is < 1 or > 100_000)
        {
            failures.Add($"{Prefix}{nameof(options.CardinalityLimit)} must be between 1 and 100000, but was {options.CardinalityLimit}.");
        }

        CheckAttribute(failures, nameof(options.ServiceName), options.ServiceName);
        CheckAttribute(failures, nameof(options.ServiceNamespace), options.ServiceNamespace);
        CheckAttribute(failures, nameof(options.ServiceVersion), options.ServiceVersion);
        CheckAttribute(failures, nameof(options.ServiceInstanceId), options.ServiceInstanceId);

        for (var i = 0; i < options.AdditionalMeters.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.AdditionalMeters[i]))
            {
                failures.Add($"{Prefix}{nameof(options.AdditionalMeters)}:{i} must name a meter, but was empty.");
            }
            else if (string.Equals(options.AdditionalMeters[i].Trim(), MetricsConstants.NpgsqlMeterName, StringComparison.Ordinal))
            {
                // Npgsql labels its pool series with the data source's Name (the connection string unless set) and
                // with host and port, and they would double the decorator's db.client.connection.* series.
                failures.Add($"{Prefix}{nameof(options.AdditionalMeters)}:{i} must not be 'Npgsql': its series carry the connection string and host as labels and double the pool signal. Register services.AddIncidentTelemetryDataSource(_ => NpgsqlDataSource.Create(connectionString), \"payments-db\"), which reports every db.client.connection.* series and {InstrumentNames.DbOperationDuration} under that pool name.");
            }
        }

        var endpoint = options.MetricsEndpoint;
        if (string.IsNullOrEmpty(endpoint.Path) || endpoint.Path[0] != '/' || endpoint.Path.Contains('?', StringComparison.Ordinal))
        {
            failures.Add($"{EndpointPrefix}{nameof(endpoint.Path)} must start with '/' and hold no query, but was '{endpoint.Path}'.");
        }

        if (endpoint.Port is { } port && port is < 1 or > 65535)
        {
            failures.Add($"{EndpointPrefix}{nameof(endpoint.Port)} must be between 1 and 65535, but was {port}.");
        }

        if (!IPAddress.TryParse(endpoint.PortBindAddress, out _))
        {
            failures.Add($"{EndpointPrefix}{nameof(endpoint.PortBindAddress)} must be an IP address, but was '{endpoint.PortBindAddress}'.");
        }

        for (var i = 0; i < endpoint.AllowedNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(endpoint.AllowedNetworks[i], out _))
            {
                failures.Add($"{EndpointPrefix}{nameof(endpoint.AllowedNetworks)}:{i} must be a network in CIDR notation such as 10.0.0.0/8, but was '{endpoint.AllowedNetworks[i]}'.");
            }
        }

        if (endpoint.AuthorizationPolicy is { } policy && string.IsNullOrWhiteSpace(policy))
        {
            failures.Add($"{EndpointPrefix}{nameof(endpoint.AuthorizationPolicy)} must name a policy or be left unset, but was empty.");
        }

        if (endpoint.ResponseCacheDuration < TimeSpan.Zero || endpoint.ResponseCacheDuration > TimeSpan.FromSeconds(60))
        {
            failures.Add($"{EndpointPrefix}{nameof(endpoint.ResponseCacheDuration)} must be between 00:00:00 and 00:01:00, but was {endpoint.ResponseCacheDuration}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Adds a failure for every key below <paramref name="configuration"/> that no property of <paramref name="type"/> reads.</summary>
    private static void AddUnknownKeys(List<string> failures, IConfigurationSection configuration, Type type)
    {
        foreach (var child in configuration.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                var keys = child.Value is not null ? [child.Path] : child.AsEnumerable().Where(static kv => kv.Value is not null).Select(static kv => kv.Key).Order(StringComparer.Ordinal).ToList();
                foreach (var key in keys.DefaultIfEmpty(child.Path))
                {
                    failures.Add($"{key} is not an option of the {IncidentTelemetryOptions.SectionName} section (options under {configuration.Path}: {string.Join(", ", OptionNames(type))}).");
                }
            }
            else if (property.PropertyType != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(property.PropertyType) && property.PropertyType.IsClass)
            {
                AddUnknownKeys(failures, child, property.PropertyType);
            }
        }
    }

    private static IEnumerable<string> OptionNames(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(static p => p.Name);

    private static void CheckAttribute(List<string> failures, string key, string? value)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{Prefix}{key} must not be blank; leave it unset to use the default.");
        }
    }
}
