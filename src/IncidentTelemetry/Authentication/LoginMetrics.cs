using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentTelemetry.Authentication;

/// <summary>
/// Owns the meter <c>IncidentTelemetry.Authentication</c> and its one instrument, <c>incident.login.attempts</c>
/// (week 49: logins rose tenfold when a session-store failover logged everyone out). It also watches ASP.NET Core
/// Identity's <c>aspnetcore.identity.sign_in.check_password_attempts</c> so that a login endpoint whose attempt Identity
/// already counted is not counted again.
/// </summary>
/// <remarks>
/// No semantic convention covers login attempts of custom endpoints, hence <c>incident.*</c>. Attributes:
/// <c>incident.login.result</c> (<see cref="LoginResult"/>) and <c>incident.login.method</c> (validated, at most
/// <see cref="MaxMethods"/> distinct values). Tags are built once per method.
/// </remarks>
internal sealed class LoginMetrics : ILoginTelemetry, IDisposable
{
    public const string ResultAttribute = AttributeNames.LoginResult;
    public const string MethodAttribute = AttributeNames.LoginMethod;
    public const string OtherMethod = "_OTHER";
    public const int MaxMethods = 16;

    /// <summary>The Identity meter and instrument whose measurements mean "this attempt is already counted".</summary>
    public const string IdentityMeterName = MeterNames.Identity;
    public const string IdentityCheckPasswordInstrument = InstrumentNames.IdentityCheckPasswordAttempts;

    private static readonly string[] ResultValues = ["success", "failure", "locked_out", "requires_two_factor", "not_allowed", "error"];

    private readonly Meter meter;
    private readonly Counter<long> attempts;
    private readonly ConcurrentDictionary<string, TagList[]> tagsByMethod = new(StringComparer.Ordinal);
    private readonly TagList[] otherTags;
    private readonly MeterListener identityListener = new();

    // Per owner, not per process: a second container (a test host, a second app in one process) has its own.
    private readonly AsyncLocal<LoginScope?> currentScope = new();

    public LoginMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.meter = meterFactory.Create(new MeterOptions(MeterNames.Authentication));
        this.attempts = this.meter.CreateCounter<long>(
            MetricCatalogue.LoginAttempts.Instrument!,
            unit: MetricCatalogue.LoginAttempts.Unit,
            description: MetricCatalogue.LoginAttempts.Description);
        this.otherTags = BuildTags(OtherMethod);

        this.identityListener.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == IdentityMeterName && instrument.Name == IdentityCheckPasswordInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        this.identityListener.SetMeasurementEventCallback<long>((_, _, _, _) =>
        {
            if (this.currentScope.Value is { } scope)
            {
                scope.CountedByIdentity = true;
            }
        });
        this.identityListener.Start();
    }

    /// <summary>What the signal registers (its row in <see cref="Signals"/>): the meter owner, injectable as
    /// <see cref="ILoginTelemetry"/> and used by <c>WithLoginTelemetry(...)</c>.</summary>
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<LoginMetrics>();
        services.TryAddSingleton<ILoginTelemetry>(static sp => sp.GetRequiredService<LoginMetrics>());
    }

    /// <summary>Starts a login attempt on this async flow; Identity's measurements inside it mark it as counted.</summary>
    public LoginScope BeginScope()
    {
        var scope = new LoginScope();
        this.currentScope.Value = scope;
        return scope;
    }

    /// <summary>Ends the attempt started by <see cref="BeginScope"/>.</summary>
    public void EndScope() => this.currentScope.Value = null;

    public void RecordAttempt(LoginResult result, string method)
    {
        try
        {
            if (!this.attempts.Enabled)
            {
                return;
            }

            var index = (int)result;
            if ((uint)index >= (uint)ResultValues.Length)
            {
                IncidentTelemetryEventSource.Log.Dropped($"{InstrumentNames.LoginAttempts}: a LoginResult value outside the enum was ignored.");
                return;
            }

            this.attempts.Add(1, in this.TagsFor(method)[index]);
        }
        catch (Exception ex)
        {
            IncidentTelemetryEventSource.Log.CallbackFailed(InstrumentNames.LoginAttempts, ex);
        }
    }

    public void Dispose()
    {
        this.identityListener.Dispose();
        this.meter.Dispose();
    }

    private static TagList[] BuildTags(string method)
    {
        var tags = new TagList[ResultValues.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new TagList { { ResultAttribute, ResultValues[i] }, { MethodAttribute, method } };
        }

        return tags;
    }

    private TagList[] TagsFor(string method)
    {
        if (method is not null && this.tagsByMethod.TryGetValue(method, out var tags))
        {
            return tags;
        }

        if (!NameValidator.IsValid(method))
        {
            IncidentTelemetryEventSource.Log.Dropped($"{MethodAttribute}: a method that does not follow the name rule was counted as _OTHER.");
            return this.otherTags;
        }

        lock (this.tagsByMethod)
        {
            if (this.tagsByMethod.TryGetValue(method!, out tags))
            {
                return tags;
            }

            if (this.tagsByMethod.Count >= MaxMethods)
            {
                IncidentTelemetryEventSource.Log.Dropped($"{MethodAttribute}: more than {MaxMethods} methods; further ones are counted as _OTHER.");
                return this.otherTags;
            }

            tags = BuildTags(method!);
            this.tagsByMethod[method!] = tags;
            return tags;
        }
    }

    /// <summary>One login attempt in progress.</summary>
    internal sealed class LoginScope
    {
        /// <summary>Identity counted a password check during this attempt.</summary>
        public volatile bool CountedByIdentity;
    }
}
