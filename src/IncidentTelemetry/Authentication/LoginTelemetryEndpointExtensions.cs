using IncidentTelemetry.Authentication;
using IncidentTelemetry.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IncidentTelemetry;

/// <summary>Counts the attempts of a login endpoint.</summary>
public static class LoginTelemetryEndpointExtensions
{
    /// <summary>
    /// Counts every call of the endpoint as one login attempt (<c>incident.login.attempts</c>, with
    /// <c>incident.login.method</c> = <paramref name="method"/>), its result taken from the status code the handler
    /// returns: 2xx/3xx <c>success</c>, 403 <c>not_allowed</c>, 423 or 429 <c>locked_out</c>, other 4xx <c>failure</c>,
    /// 5xx or an exception <c>error</c>. An attempt that ASP.NET Core Identity already counted while the handler ran
    /// (<c>aspnetcore.identity.sign_in.check_password_attempts</c>) is not counted again. Nothing from the request
    /// (user name, email, address) is recorded.
    /// </summary>
    /// <example><code>app.MapPost("/login", Login).WithLoginTelemetry(method: "password");</code></example>
    /// <typeparam name="TBuilder">The endpoint builder type.</typeparam>
    /// <param name="builder">The login endpoint, for example from <c>MapPost("/login", ...)</c>.</param>
    /// <param name="method">How users log in here: a short constant such as <c>password</c> (at most 64 characters among
    /// a-z, A-Z, 0-9, '-', '_' and '.'; docs/configuration.md, "Names"). Default: <c>password</c>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="method"/> is not such a name.</exception>
    public static TBuilder WithLoginTelemetry<TBuilder>(this TBuilder builder, string method = "password")
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        NameValidator.Validate(method, nameof(method), MetricsConstants.LoginMethodAttribute);
        builder.AddEndpointFilter(new LoginTelemetryFilter(method));
        return builder;
    }
}
