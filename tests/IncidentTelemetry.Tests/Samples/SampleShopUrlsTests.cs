using System.Globalization;
using IncidentTelemetry.Catalogue;

namespace IncidentTelemetry.Tests.Samples;

/// <summary>
/// The sample shop listens where ASP.NET Core's own settings say (ASPNETCORE_URLS, --urls), as the README documents:
/// its default port is set in code only when neither is given, so appsettings.json cannot override them.
/// </summary>
public sealed class SampleShopUrlsTests
{
    [Fact]
    public async Task Start_AspNetCoreUrlsEnvironment_ServesMetricsOnThatPort()
    {
        var port = LoopbackPorts.GetFree();

        var metrics = await StartAndScrapeAsync(port, [], new Dictionary<string, string> { ["ASPNETCORE_URLS"] = Url(port) });

        Assert.Contains(MetricCatalogue.ProcessUptime.Name + "{", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UrlsArgumentAndEnvironment_ArgumentWins()
    {
        var port = LoopbackPorts.GetFree();
        var ignored = LoopbackPorts.GetFree();

        var metrics = await StartAndScrapeAsync(port, ["--urls", Url(port)], new Dictionary<string, string> { ["ASPNETCORE_URLS"] = Url(ignored) });

        Assert.Contains(MetricCatalogue.ProcessUptime.Name + "{", metrics, StringComparison.Ordinal);
    }

    private static string Url(int port) => "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);

    private static async Task<string> StartAndScrapeAsync(int port, string[] arguments, Dictionary<string, string> environment)
    {
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["DOTNET_NOLOGO"] = "1";
        using var process = ExternalProcess.Start("dotnet", [Repository.SampleShopDll, .. arguments], Path.GetDirectoryName(Repository.SampleShopDll), environment);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var metricsUri = new Uri(Url(port) + "/metrics");
        return await Eventually.UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the sample exited:\n{process.Output}");
                }

                try
                {
                    return await http.GetStringAsync(metricsUri);
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            },
            text => text is not null,
            TimeSpan.FromSeconds(120),
            $"the sample to serve {metricsUri}",
            () => process.Output) ?? string.Empty;
    }
}
