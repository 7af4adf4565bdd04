using Npgsql;

namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for one test class: <c>initdb</c> in a <see cref="TempDirectory"/>, <c>postgres</c> on a
/// free loopback port with trust authentication and its socket in the same directory, stopped with
/// <c>pg_ctl stop</c> (then killed if still there) on dispose. Use as <c>IClassFixture&lt;PostgresServer&gt;</c>.
/// When the tests run as root, the server runs as the <c>postgres</c> user (PostgreSQL refuses root).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime, IDisposable
{
    private const string SuperUser = "postgres";

    private readonly TempDirectory directory = new("it-pg-");
    private ExternalProcess? server;
    private string? binDirectory;
    private bool runAsPostgresUser;

    public int Port { get; private set; }

    public string DataDirectory => this.directory.Combine("data");

    /// <summary>What the server printed so far, for failure messages.</summary>
    public string Output => this.server?.Output ?? string.Empty;

    public async Task InitializeAsync()
    {
        this.binDirectory = FindBinDirectory();
        this.runAsPostgresUser = Environment.IsPrivilegedProcess;
        if (this.runAsPostgresUser)
        {
            await RunCheckedAsync("chown", ["-R", $"{SuperUser}:{SuperUser}", this.directory.Path]);
        }

        await this.RunToolAsync("initdb", ["-D", this.DataDirectory, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);

        this.Port = TestPorts.GetFree();
        var (file, arguments) = this.Command("postgres",
        [
            "-D", this.DataDirectory,
            "-p", this.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-k", this.directory.Path,
            "-c", "listen_addresses=127.0.0.1",
            "-c", "fsync=off",
            "-c", "max_connections=100",
        ]);
        this.server = ExternalProcess.Start(file, arguments);

        await Eventually.UntilAsync(
            async () =>
            {
                await using var connection = new NpgsqlConnection(this.ConnectionString("postgres") + ";Pooling=false;Timeout=2");
                await connection.OpenAsync();
                return true;
            },
            ok => ok,
            TimeSpan.FromSeconds(60),
            "PostgreSQL to accept connections",
            () => this.Output);
    }

    /// <summary>A connection string for <paramref name="database"/> (trust auth: any password is accepted).</summary>
    public string ConnectionString(string database = "postgres")
        => $"Host=127.0.0.1;Port={this.Port};Username={SuperUser};Database={database}";

    /// <summary>Creates a database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(this.ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (this.server is { HasExited: false } && this.binDirectory is not null)
            {
                await this.RunToolAsync("pg_ctl", ["-D", this.DataDirectory, "-m", "immediate", "-w", "-t", "20", "stop"], check: false);
            }
        }
        finally
        {
            this.Dispose();
        }
    }

    /// <summary>Kills the server if it is still running and removes its directory; safe to call twice.</summary>
    public void Dispose()
    {
        this.server?.Dispose();
        this.directory.Dispose();
    }

    private static string FindBinDirectory()
    {
        var root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .ToList()
            : [];
        return candidates.FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL's initdb was not found under /usr/lib/postgresql/*/bin. Run scripts/install-test-tools.sh.");
    }

    private static async Task RunCheckedAsync(string file, IEnumerable<string> arguments)
    {
        var (exitCode, output) = await ExternalProcess.RunAsync(file, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"'{file}' exited with {exitCode}:\n{output}");
        }
    }

    private async Task RunToolAsync(string tool, string[] arguments, bool check = true)
    {
        var (file, all) = this.Command(tool, arguments);
        var (exitCode, output) = await ExternalProcess.RunAsync(file, all, TimeSpan.FromMinutes(2));
        if (check && exitCode != 0)
        {
            throw new InvalidOperationException($"'{tool}' exited with {exitCode}:\n{output}");
        }
    }

    private (string File, string[] Arguments) Command(string tool, string[] arguments)
    {
        var path = Path.Combine(this.binDirectory!, tool);
        return this.runAsPostgresUser
            ? ("runuser", ["-u", SuperUser, "--", path, .. arguments])
            : (path, arguments);
    }
}
