namespace IncidentTelemetry.Testing;

/// <summary>
/// A test that needs a real SQL Server: it runs when <see cref="Variable"/> holds a connection string
/// (for example <c>Server=127.0.0.1,1433;User Id=sa;Password=...;TrustServerCertificate=true</c>) and is reported
/// as skipped otherwise. No SQL Server engine can be installed where this repository's tests usually run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SqlServerFactAttribute : FactAttribute
{
    public const string Variable = "INCIDENT_TELEMETRY_SQLSERVER";

    public SqlServerFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            this.Skip = $"needs a SQL Server: set {Variable} to its connection string";
        }
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);
}
