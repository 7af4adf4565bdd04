namespace IncidentTelemetry.Rules.Tests.Definitions;

/// <summary>One promtool <c>tests:</c> entry: input series and the alerts expected (or not) at given times.</summary>
internal sealed record RuleTest(string Name, TimeSpan Interval, IReadOnlyList<(string Series, string Values)> Input, IReadOnlyList<AlertCheck> Checks);

/// <summary>At <paramref name="At"/>, exactly <paramref name="Expected"/> are firing for <paramref name="Alert"/> (none: silent).</summary>
internal sealed record AlertCheck(TimeSpan At, string Alert, IReadOnlyList<ExpectedAlert> Expected);

/// <summary>A firing alert with all its labels (alertname aside) and annotations.</summary>
internal sealed record ExpectedAlert(IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);
