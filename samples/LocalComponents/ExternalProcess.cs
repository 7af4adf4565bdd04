using System.Diagnostics;
using System.Text;

namespace LocalComponents;

/// <summary>
/// A real server (Prometheus, PostgreSQL, Redis, redis_exporter, the sample service) started by a test or a drill.
/// Its output is kept for failure messages; Dispose kills the whole process tree.
/// </summary>
public sealed class ExternalProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ExternalProcess(Process process)
    {
        this.process = process;
    }

    public int Id => this.process.Id;

    public bool HasExited => this.process.HasExited;

    /// <summary>What the process printed so far (stdout and stderr, interleaved).</summary>
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

    /// <summary>Starts <paramref name="fileName"/>; throws with a hint when the tool is not installed.</summary>
    public static ExternalProcess Start(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var result = new ExternalProcess(process);
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start '{fileName}': {ex.Message}. Run the README's test command, which installs the tools the tests need.", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Runs a command to completion and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null, IDictionary<string, string>? environment = null)
    {
        using var p = Start(fileName, arguments, workingDirectory, environment);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await p.process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"'{fileName} {string.Join(' ', arguments)}' did not finish in time. Output:\n{p.Output}");
        }

        p.process.WaitForExit(); // flush the asynchronous readers
        return (p.process.ExitCode, p.Output);
    }

    /// <summary>Waits for the process to exit by itself.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await this.process.WaitForExitAsync(cts.Token);
        this.process.WaitForExit();
        return this.process.ExitCode;
    }

    public void Kill()
    {
        try
        {
            if (!this.process.HasExited)
            {
                this.process.Kill(entireProcessTree: true);
                this.process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        this.Kill();
        this.process.Dispose();
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
