using System.Globalization;

namespace LocalComponents;

/// <summary>
/// One process of the sample shop (samples/SampleShop) playing a role, on a loopback port, with
/// configuration given as command-line keys (for example <c>Shop:Database</c>). It can be killed and
/// started again on the same port, as a restart by an orchestrator would.
/// </summary>
public sealed class ShopService : IDisposable
{
    private readonly IReadOnlyDictionary<string, string> settings;
    private readonly IDictionary<string, string>? environment;
    private readonly IReadOnlyList<string>? launcher;
    private ExternalProcess process;

    private ShopService(string role, int port, IReadOnlyDictionary<string, string> settings, IDictionary<string, string>? environment, IReadOnlyList<string>? launcher, ExternalProcess process)
    {
        this.Role = role;
        this.Port = port;
        this.settings = settings;
        this.environment = environment;
        this.launcher = launcher;
        this.process = process;
    }

    public string Role { get; }

    public int Port { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{this.Port}");

    public string Target => $"127.0.0.1:{this.Port}";

    public string Output => this.process.Output;

    public bool HasExited => this.process.HasExited;

    public int ProcessId => this.process.Id;

    /// <summary>Starts the role and waits until it answers.</summary>
    /// <param name="role">The shop role, for example <c>payment-service</c>.</param>
    /// <param name="settings">Configuration keys, for example <c>Shop:Database</c>.</param>
    /// <param name="environment">Extra environment variables.</param>
    /// <param name="launcher">A command prefix, for example <see cref="MemoryCgroup.LauncherPrefix"/>.</param>
    public static async Task<ShopService> StartAsync(string role, IReadOnlyDictionary<string, string>? settings = null, IDictionary<string, string>? environment = null, IReadOnlyList<string>? launcher = null)
    {
        var port = LoopbackPorts.GetFree();
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["Shop:Role"] = role };
        var service = new ShopService(role, port, all, environment, launcher, Launch(port, all, environment, launcher));
        try
        {
            await service.WaitUntilServingAsync();
            return service;
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    /// <summary>Starts the process again on the same port (after it died, or killing it first), as a container restart.</summary>
    public async Task RestartAsync()
    {
        this.process.Dispose();
        this.process = Launch(this.Port, this.settings, this.environment, this.launcher);
        await this.WaitUntilServingAsync();
    }

    public void Dispose() => this.process.Dispose();

    private static ExternalProcess Launch(int port, IReadOnlyDictionary<string, string> settings, IDictionary<string, string>? environment, IReadOnlyList<string>? launcher)
    {
        var arguments = new List<string> { Repository.SampleShopDll, "--urls", "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture) };
        foreach (var (key, value) in settings)
        {
            arguments.Add($"--{key}={value}");
        }

        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_NOLOGO"] = "1",
        };
        var workingDirectory = Path.GetDirectoryName(Repository.SampleShopDll);
        return launcher is { Count: > 0 }
            ? ExternalProcess.Start(launcher[0], [.. launcher.Skip(1), "dotnet", .. arguments], workingDirectory, env)
            : ExternalProcess.Start("dotnet", arguments, workingDirectory, env);
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.UntilAsync(
            async () =>
            {
                if (this.process.HasExited)
                {
                    throw new InvalidOperationException($"{this.Role} exited:\n{this.process.Output}");
                }

                return (await http.GetAsync(this.BaseUri)).IsSuccessStatusCode;
            },
            ok => ok,
            TimeSpan.FromSeconds(120),
            $"{this.Role} to serve on port {this.Port}",
            () => this.process.Output);
    }
}
