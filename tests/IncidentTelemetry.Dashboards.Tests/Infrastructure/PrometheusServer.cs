using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IncidentTelemetry.Dashboards.Tests.Infrastructure;

/// <summary>
/// A real Prometheus on a free loopback port, serving a TSDB backfilled (with promtool) from OpenMetrics text.
/// Everything lives in a temporary directory; Dispose kills the server and removes it.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly DirectoryInfo directory;
    private readonly StringBuilder output = new();

    private PrometheusServer(Process process, DirectoryInfo directory, Uri address)
    {
        this.process = process;
        this.directory = directory;
        this.Address = address;
        process.OutputDataReceived += (_, e) => this.Append(e.Data);
        process.ErrorDataReceived += (_, e) => this.Append(e.Data);
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (this.output)
            {
                return this.output.ToString();
            }
        }
    }

    public static async Task<PrometheusServer> StartAsync(string openMetrics)
    {
        var directory = Directory.CreateTempSubdirectory("it-dash-prom-");
        try
        {
            var input = Path.Combine(directory.FullName, "scrapes.om");
            var data = Path.Combine(directory.FullName, "data");
            await File.WriteAllTextAsync(input, openMetrics);
            var (exitCode, backfill) = await Run("promtool", ["tsdb", "create-blocks-from", "openmetrics", input, data]);
            if (exitCode != 0)
            {
                throw new InvalidOperationException("promtool backfill failed:\n" + backfill);
            }

            var config = Path.Combine(directory.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(config, "global:\n  evaluation_interval: 15s\n");
            var port = FreePort();
            var info = new ProcessStartInfo("prometheus")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "--config.file=" + config, "--storage.tsdb.path=" + data, "--storage.tsdb.retention.time=30d", $"--web.listen-address=127.0.0.1:{port}" })
            {
                info.ArgumentList.Add(a);
            }

            var process = new Process { StartInfo = info };
            process.Start();
            var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await server.WaitUntilReadyAsync();
            return server;
        }
        catch
        {
            directory.Delete(recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!this.process.HasExited)
            {
                this.process.Kill(entireProcessTree: true);
                await this.process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        this.process.Dispose();
        try
        {
            this.directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temporary directory.
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (this.process.HasExited)
            {
                throw new InvalidOperationException("prometheus exited:\n" + this.Output);
            }

            try
            {
                using var response = await http.GetAsync(new Uri(this.Address, "-/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100); // polling another process's state, not a timing assertion
        }

        throw new TimeoutException("prometheus did not become ready:\n" + this.Output);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int ExitCode, string Output)> Run(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info) ?? throw new InvalidOperationException(file + " did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (this.output)
        {
            this.output.AppendLine(line);
        }
    }
}
