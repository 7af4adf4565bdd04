namespace IncidentTelemetry.Rules.Definitions;

/// <summary>A recording rule: the recorded series name and its expression.</summary>
internal sealed record RecordingRule(string Record, string Expression);
