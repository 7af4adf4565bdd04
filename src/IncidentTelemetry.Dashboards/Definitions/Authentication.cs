using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Dashboards.Model;
using static IncidentTelemetry.Dashboards.Definitions.Promql;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>Drill-down for logins: mass logouts after a failover, credential stuffing.</summary>
internal static class Authentication
{
    public static DashboardSpec Build() => new(
        Slugs.Authentication,
        "IncidentTelemetry / Authentication",
        $"Login attempts of the chosen services ({InstrumentNames.LoginAttempts}) and ASP.NET Core Identity password checks.",
        ["drill-down", "authentication"],
        [Variables.Job, Variables.Instance],
        [
            new("Logins",
            [
                SharedPanels.LoginsPanel(12),
                new PanelSpec("Failed login ratio", "Share of login attempts that did not succeed. A spike of failures suggests an attack; a spike of successes, a mass logout.", PanelKind.TimeSeries, "percentunit",
                    [new(RateRatio(Labels.Job.Name, MetricCatalogue.LoginAttempts.Name, Service + $", {Labels.LoginResult}!=\"success\"", Service), Legend(Labels.Job))])
                { Width = 12, Min = 0 },
                new PanelSpec("Login attempts by method", "Login attempts per second by method.", PanelKind.TimeSeries, "cps",
                    [new(SumRate(By(Labels.Job, Labels.LoginMethod), MetricCatalogue.LoginAttempts, Service), Legend(Labels.Job, Labels.LoginMethod))])
                { Width = 12, Min = 0 },
                new PanelSpec("Identity password checks by result", "ASP.NET Core Identity password checks per second by result (success, failure, locked out, ...).", PanelKind.TimeSeries, "cps",
                    [new(SumRate(By(Labels.Job, Labels.IdentitySignInResult), MetricCatalogue.IdentityCheckPasswordAttempts, Service), Legend(Labels.Job, Labels.IdentitySignInResult))])
                { Width = 12, Min = 0 },
            ]),
        ],
        Slugs.OthersThan(Slugs.Authentication));
}
