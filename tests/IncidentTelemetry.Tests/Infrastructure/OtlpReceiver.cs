using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// A real OTLP/HTTP receiver on a loopback port (no collector can be installed here): Kestrel answers
/// <c>POST /v1/metrics</c> with an empty protobuf response, as a collector does, and keeps each request's content type
/// and body. Written by hand because no package serves an in-process OTLP receiver; the bodies are not decoded (the
/// names and the resource's values are UTF-8 strings inside the protobuf).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Channel<OtlpRequest> requests = Channel.CreateUnbounded<OtlpRequest>();

    private OtlpReceiver(WebApplication app) => this.app = app;

    /// <summary>The receiver's base address, as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> takes it.</summary>
    public Uri BaseUri => new(this.app.Urls.First());

    public ConcurrentBag<string> Paths { get; } = [];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver.Paths.Add(context.Request.Path);
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path == "/v1/metrics")
            {
                await receiver.requests.Writer.WriteAsync(new OtlpRequest(context.Request.ContentType, body.ToArray()));
                context.Response.ContentType = "application/x-protobuf";
                context.Response.StatusCode = StatusCodes.Status200OK;
                return;
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>The requests received so far, waiting up to <paramref name="timeout"/> for the first one.</summary>
    public async Task<IReadOnlyList<OtlpRequest>> ReceivedAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var first = await this.requests.Reader.ReadAsync(cancel.Token);
        var all = new List<OtlpRequest> { first };
        while (this.requests.Reader.TryRead(out var next))
        {
            all.Add(next);
        }

        return all;
    }

    public async ValueTask DisposeAsync()
    {
        await this.app.StopAsync();
        await this.app.DisposeAsync();
    }
}

/// <summary>One export request: its content type and its protobuf body.</summary>
public sealed record OtlpRequest(string? ContentType, byte[] Body)
{
    /// <summary>Whether the body holds <paramref name="text"/> as UTF-8 (a metric name, a resource value).</summary>
    public bool Contains(string text) => this.Body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
