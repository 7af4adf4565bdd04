using System.Diagnostics;
using SkiaSharp;

namespace IncidentTelemetry.Drills.Tests;

/// <summary>
/// Debian's chromium, headless, opening a page from the file system: its DOM after load (with the
/// console messages the page produced, which chromium logs on stderr) and a screenshot.
/// </summary>
internal static class HeadlessChromium
{
    private const string Binary = "chromium";

    /// <summary>The DOM after the page's load handlers ran, and every console message it logged.</summary>
    public static async Task<(string Dom, IReadOnlyList<string> Console)> LoadAsync(string page)
    {
        var (stdout, stderr) = await RunAsync(["--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom", new Uri(page).AbsoluteUri]);
        var console = stderr.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal)).ToList();
        return (stdout, console);
    }

    /// <summary>Takes a screenshot of the page, <paramref name="width"/> × <paramref name="height"/> pixels, into <paramref name="png"/>.</summary>
    public static async Task ScreenshotAsync(string page, string png, int width, int height)
    {
        File.Delete(png);
        var (_, stderr) = await RunAsync(["--hide-scrollbars", $"--window-size={width},{height}", "--virtual-time-budget=5000", $"--screenshot={png}", new Uri(page).AbsoluteUri]);
        Assert.True(File.Exists(png), $"chromium wrote no screenshot:\n{stderr}");
    }

    /// <summary>The share of pixels that differ from the top-left pixel (the page's background), and how many colours there are.</summary>
    public static (double Drawn, int Colours) Ink(string png)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.True(bitmap is not null, $"{png} is not an image Skia can decode");
        var background = bitmap.GetPixel(0, 0);
        var colours = new HashSet<uint>();
        long drawn = 0;
        for (var y = 0; y < bitmap.Height; y++)
        {
            for (var x = 0; x < bitmap.Width; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                colours.Add((uint)pixel);
                if (pixel != background)
                {
                    drawn++;
                }
            }
        }

        return ((double)drawn / ((long)bitmap.Width * bitmap.Height), colours.Count);
    }

    private static async Task<(string Stdout, string Stderr)> RunAsync(IEnumerable<string> arguments)
    {
        using var profile = new TempDirectory("it-chromium-");
        var info = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Root in a container has no sandbox to drop into; the page is the test's own.
        foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", $"--user-data-dir={profile.Path}" }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("chromium did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish within 60 s: {string.Join(' ', info.ArgumentList)}");
        }

        return (await stdout, await stderr);
    }
}
