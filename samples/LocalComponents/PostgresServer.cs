
namespace LocalComponents;

/// <summary>
/// A real PostgreSQL server in a temporary directory on a loopback port, trust authentication,
/// stopped (immediate mode) and removed on dispose. As root, it runs as the <c>postgres</c> user,
/// since PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly TempDirectory directory;
    private readonly string dataDirectory;
    private readonly string? runAs;
    private bool stopped;

    private PostgresServer(TempDirectory directory, int port, string? runAs)
    {
        this.directory = directory;
        this.dataDirectory = directory.Combine("data");
        this.Port = port;
        this.runAs = runAs;
    }

    public int Port { get; }

    /// <summary>A connection string for <paramref name="database"/> as user <c>postgres</c> (trust authentication).</summary>
    public string ConnectionString(string database = "postgres")
        => $"Host=127.0.0.1;Port={this.Port};Username=postgres;Database={database}";

    /// <summary>Creates a database and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await this.PsqlAsync($"CREATE DATABASE \"{name}\"");
        return name;
    }

    public static async Task<PostgresServer> StartAsync(string? extraConfig = null)
    {
        var directory = new TempDirectory("it-pg-");
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        var server = new PostgresServer(directory, LoopbackPorts.GetFree(), runAs);
        try
        {
            if (runAs is not null)
            {
                await RunOrThrowAsync("chown", ["-R", $"{runAs}:", directory.Path]);
            }

            await server.RunAsAsync("initdb", ["-D", server.dataDirectory, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"]);
            var conf = $"""
                listen_addresses = '127.0.0.1'
                port = {server.Port}
                unix_socket_directories = '{directory.Path}'
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                max_connections = 200
                {extraConfig}
                """;
            await File.AppendAllTextAsync(Path.Combine(server.dataDirectory, "postgresql.conf"), conf);
            await server.RunAsAsync("pg_ctl", ["-D", server.dataDirectory, "-l", Path.Combine(directory.Path, "server.log"), "-w", "-t", "60", "start"]);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Stops the server (immediately, like a crash) without removing its data, so that it can start again.</summary>
    public async Task StopAsync()
    {
        await this.RunAsAsync("pg_ctl", ["-D", this.dataDirectory, "-m", "immediate", "-w", "stop"]);
        this.stopped = true;
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>.</summary>
    public async Task RestartAsync()
    {
        await this.RunAsAsync("pg_ctl", ["-D", this.dataDirectory, "-l", Path.Combine(this.directory.Path, "server.log"), "-w", "-t", "60", "start"]);
        this.stopped = false;
    }

    /// <summary>
    /// Creates a login role that must give its password (scram-sha-256) over TCP, while <c>postgres</c> keeps trust.
    /// Returns a connection string for it that holds the password.
    /// </summary>
    public async Task<string> AddPasswordUserAsync(string user, string password, string database = "postgres")
    {
        await this.PsqlAsync($"SET password_encryption = 'scram-sha-256'; CREATE ROLE \"{user}\" LOGIN PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'");
        await this.PsqlAsync($"GRANT ALL ON DATABASE \"{database}\" TO \"{user}\"");
        var hba = Path.Combine(this.dataDirectory, "pg_hba.conf");
        var rules = await File.ReadAllTextAsync(hba);
        await File.WriteAllTextAsync(hba, $"host all \"{user}\" 127.0.0.1/32 scram-sha-256\n" + rules);
        await this.PsqlAsync("SELECT pg_reload_conf()");
        return $"Host=127.0.0.1;Port={this.Port};Username={user};Password={password};Database={database}";
    }

    /// <summary>Runs SQL through psql (for set-up that needs no driver), as the <c>postgres</c> user.</summary>
    public Task<string> PsqlAsync(string sql, string database = "postgres")
        => this.RunAsAsync("psql", ["-h", "127.0.0.1", "-p", this.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql]);

    public void Dispose()
    {
        if (!this.stopped && Directory.Exists(this.dataDirectory))
        {
            try
            {
                this.RunAsAsync("pg_ctl", ["-D", this.dataDirectory, "-m", "immediate", "-w", "stop"]).GetAwaiter().GetResult();
            }
            catch (InvalidOperationException)
            {
                // Already down.
            }
        }

        this.directory.Dispose();
    }

    private async Task<string> RunAsAsync(string tool, string[] arguments)
    {
        var path = Path.Combine(Tools.PostgresBin, tool);
        if (this.runAs is null)
        {
            return await RunOrThrowAsync(path, arguments);
        }

        return await RunOrThrowAsync("runuser", ["-u", this.runAs, "--", path, .. arguments]);
    }

    private static async Task<string> RunOrThrowAsync(string file, string[] arguments)
    {
        var (code, output) = await ExternalProcess.RunAsync(file, arguments, TimeSpan.FromMinutes(2), workingDirectory: "/tmp");
        if (code != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' exited with {code}:\n{output}");
        }

        return output;
    }
}
