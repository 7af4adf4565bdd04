namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for one test class (<c>IClassFixture&lt;PostgresFixture&gt;</c>), started before the
/// first test and always stopped after the last.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? server;

    public PostgresServer Server => this.server ?? throw new InvalidOperationException("The fixture has not started.");

    public int Port => this.Server.Port;

    /// <summary>A connection string for <paramref name="database"/> (trust auth: any password is accepted).</summary>
    public string ConnectionString(string database = "postgres") => this.Server.ConnectionString(database);

    /// <summary>Creates a database and returns its name.</summary>
    public Task<string> CreateDatabaseAsync(string name) => this.Server.CreateDatabaseAsync(name);

    public async Task InitializeAsync() => this.server = await PostgresServer.StartAsync();

    public Task DisposeAsync()
    {
        this.server?.Dispose();
        return Task.CompletedTask;
    }
}
