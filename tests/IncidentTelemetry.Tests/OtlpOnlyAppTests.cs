using System.Net;
using IncidentTelemetry.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IncidentTelemetry.Tests;

/// <summary>
/// The composition matrix's rows for apps that export by OTLP and have no Prometheus exporter: the .NET Aspire
/// ServiceDefaults shape (<c>WithMetrics(...)</c> plus <c>UseOtlpExporter()</c>), with and without
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, the one-line entry point beside OTLP, and worker services without an HTTP
/// server. Every app starts, serves no endpoint it does not claim, and what reaches the OTLP receiver (a real one on
/// loopback, <see cref="OtlpReceiver"/>) carries the library's names and the app's <c>service.name</c>.
/// </summary>
public sealed class OtlpOnlyAppTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    // Names the bundled rules and dashboards select, as the OTLP exporter sends them (OpenTelemetry names, not Prometheus ones).
    private static readonly string[] ExportedNames = ["http.server.request.duration", "process.uptime", "incident.process.memory.limit", "incident.login.attempts"];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Start_AspireServiceDefaultsShape_StartsServesNoEndpointAndExportsByOtlp(bool endpointVariable)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var builder = NewWebBuilder();
        if (endpointVariable)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BaseUri.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            });
        }

        // The ServiceDefaults shape: the app's own provider, the library's instrumentation in it, OTLP for every signal.
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("checkout"))
            .WithMetrics(m => m.AddMeter("Microsoft.AspNetCore.Hosting").AddIncidentTelemetryInstrumentation())
            .UseOtlpExporter();

        await using var app = await StartAsync(builder);
        using var http = new HttpClient { BaseAddress = LoopbackApp.BaseUri(app) };
        (await http.GetAsync(new Uri("/orders", UriKind.Relative))).EnsureSuccessStatusCode();
        app.Services.GetRequiredService<ILoginTelemetry>().RecordAttempt(LoginResult.Failure, "password");

        // No endpoint is claimed and none is served.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        var messages = Messages(app.Services);
        Assert.Contains(messages, m => m.Contains("serves no endpoint and adds no exporter", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains("IncidentTelemetry: serving", StringComparison.Ordinal));

        if (endpointVariable)
        {
            Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush(), "the OTLP export failed");
            AssertExported(await receiver.ReceivedAsync(Wait), "checkout");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Start_OneLineEntryPointWithOtlp_EndpointAsConfiguredAndOtlpExportsEverySignal(bool endpointEnabled)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var builder = NewWebBuilder();
        builder.AddIncidentTelemetry(o =>
        {
            o.ServiceName = "checkout";
            o.MetricsEndpoint.Enabled = endpointEnabled;
        });
        builder.Services.AddOpenTelemetry().UseOtlpExporter(OtlpExportProtocol.HttpProtobuf, receiver.BaseUri);

        await using var app = await StartAsync(builder);
        using var http = new HttpClient { BaseAddress = LoopbackApp.BaseUri(app) };
        (await http.GetAsync(new Uri("/orders", UriKind.Relative))).EnsureSuccessStatusCode();
        app.Services.GetRequiredService<ILoginTelemetry>().RecordAttempt(LoginResult.Failure, "password");

        // The endpoint is what the option says: the library's exporter when enabled, nothing when not.
        using var scrape = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(endpointEnabled ? HttpStatusCode.OK : HttpStatusCode.NotFound, scrape.StatusCode);
        if (endpointEnabled)
        {
            Assert.Contains("incident_login_attempts_total", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // ForceFlush reports false when a Prometheus (pull) reader is on the provider: the receiver's requests decide.
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        AssertExported(await receiver.ReceivedAsync(Wait), "checkout");
    }

    [Fact]
    public async Task RecordAttempt_AspireShapeMethodBreaksNameRule_WarningReachesTheAppsLogger()
    {
        var builder = NewWebBuilder();
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddIncidentTelemetryInstrumentation().AddInMemoryExporter(new List<Metric>()));
        await using var app = await StartAsync(builder);

        // (A provider without a reader enables no instrument, and nothing is measured: the app exports somewhere.)
        app.Services.GetRequiredService<ILoginTelemetry>().RecordAttempt(LoginResult.Failure, "pass word!");

        // The event source's message, through the app's own logger (not only an event listener).
        var records = app.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(records, r => r.Category == "IncidentTelemetry" && r.Level == LogLevel.Warning
            && r.Message.Contains("does not follow the name rule", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_ServiceCollectionEntryPointWithOtlp_ServesTheLibraryExporterAndExportsByOtlp()
    {
        // The Startup-class entry point, services.AddIncidentTelemetry(configuration), beside OTLP.
        await using var receiver = await OtlpReceiver.StartAsync();
        var builder = NewWebBuilder();
        builder.Configuration["IncidentTelemetry:ServiceName"] = "checkout";
        builder.Services.AddIncidentTelemetry(builder.Configuration);
        builder.Services.AddOpenTelemetry().UseOtlpExporter(OtlpExportProtocol.HttpProtobuf, receiver.BaseUri);

        await using var app = await StartAsync(builder);
        using var http = new HttpClient { BaseAddress = LoopbackApp.BaseUri(app) };
        (await http.GetAsync(new Uri("/orders", UriKind.Relative))).EnsureSuccessStatusCode();
        app.Services.GetRequiredService<ILoginTelemetry>().RecordAttempt(LoginResult.Failure, "password");

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        AssertExported(await receiver.ReceivedAsync(Wait), "checkout");
    }

    [Fact]
    public async Task Start_EntryPointWithAppExporterButNoMappedEndpoint_ServesNothing()
    {
        var builder = NewWebBuilder();
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddIncidentTelemetryInstrumentation().AddPrometheusExporter());

        await using var app = await StartAsync(builder);
        using var http = new HttpClient { BaseAddress = LoopbackApp.BaseUri(app) };

        // The composition entry point adds no endpoint: the app's exporter is served only where the app maps it.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Start_WorkerWithoutManagementPort_ClaimsNoEndpointAndExportsByOtlp()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", ApplicationName = "ledger-worker" });
        builder.Logging.ClearProviders();
        builder.Logging.AddFakeLogging();
        builder.AddIncidentTelemetry();
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddOtlpExporter(o =>
        {
            o.Protocol = OtlpExportProtocol.HttpProtobuf;
            o.Endpoint = new Uri(receiver.BaseUri, "/v1/metrics");
        }));

        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            host.Services.GetRequiredService<ILoginTelemetry>().RecordAttempt(LoginResult.Failure, "password");
            var messages = Messages(host.Services);
            Assert.Contains(messages, m => m.Contains("no HTTP server", StringComparison.Ordinal));
            Assert.DoesNotContain(messages, m => m.Contains("IncidentTelemetry: serving", StringComparison.Ordinal));

            Assert.True(host.Services.GetRequiredService<MeterProvider>().ForceFlush(), "the OTLP export failed");
            var received = await receiver.ReceivedAsync(Wait);
            Assert.Contains(received, r => r.Contains("incident.login.attempts") && r.Contains("ledger-worker"));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Start_WorkerWithManagementPort_ServesTheLibraryExporterThere()
    {
        var port = LoopbackPorts.GetFree();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", ApplicationName = "ledger-worker" });
        builder.Logging.ClearProviders();
        builder.Logging.AddFakeLogging();
        builder.AddIncidentTelemetry(o => o.MetricsEndpoint.Port = port);

        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            host.Services.GetRequiredService<ILoginTelemetry>().RecordAttempt(LoginResult.Failure, "password");
            using var http = new HttpClient();
            var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
            Assert.Contains("incident_login_attempts_total", text, StringComparison.Ordinal);
            Assert.Contains(Messages(host.Services), m => m.Contains("serving the library's Prometheus exporter at /metrics on management port", StringComparison.Ordinal));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Theory]
    [InlineData(MetricReaderTemporalityPreference.Cumulative)]
    [InlineData(MetricReaderTemporalityPreference.Delta)]
    public async Task Export_OtlpOnlyApp_UnitsAsDocumentedAndTemporalityTheReadersChoice(MetricReaderTemporalityPreference preference)
    {
        // The in-memory exporter stands in for the OTLP one: same provider, same reader options, and the exported
        // Metric objects show what the OTLP exporter serializes (unit, temporality).
        var exported = new List<Metric>();
        var builder = NewWebBuilder();
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter("Microsoft.AspNetCore.Hosting")
            .AddIncidentTelemetryInstrumentation()
            .AddInMemoryExporter(exported, reader => reader.TemporalityPreference = preference));

        await using var app = await StartAsync(builder);
        using var http = new HttpClient { BaseAddress = LoopbackApp.BaseUri(app) };
        (await http.GetAsync(new Uri("/orders", UriKind.Relative))).EnsureSuccessStatusCode();
        app.Services.GetRequiredService<ILoginTelemetry>().RecordAttempt(LoginResult.Failure, "password");
        Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush());

        var expectedUnits = new Dictionary<string, string>
        {
            ["http.server.request.duration"] = "s",
            ["process.uptime"] = "s",
            ["incident.process.memory.limit"] = "By",
            ["incident.login.attempts"] = "{attempt}",
        };
        foreach (var (name, unit) in expectedUnits)
        {
            var metric = exported.First(m => m.Name == name);
            Assert.True(unit == metric.Unit, $"{name}: unit '{metric.Unit}', expected '{unit}'");
        }

        // Counters and histograms follow the reader's preference; the memory limit is a gauge, which OTLP sends
        // without a temporality.
        var expected = preference == MetricReaderTemporalityPreference.Delta ? AggregationTemporality.Delta : AggregationTemporality.Cumulative;
        Assert.Equal(expected, exported.First(m => m.Name == "http.server.request.duration").Temporality);
        Assert.Equal(expected, exported.First(m => m.Name == "incident.login.attempts").Temporality);
        Assert.Contains(exported.First(m => m.Name == "incident.process.memory.limit").MetricType, new[] { MetricType.LongGauge, MetricType.DoubleGauge });
    }

    private static void AssertExported(IReadOnlyList<OtlpRequest> received, string serviceName)
    {
        Assert.All(received, r => Assert.Equal("application/x-protobuf", r.ContentType));
        Assert.All(received, r => Assert.NotEmpty(r.Body));
        foreach (var name in ExportedNames)
        {
            Assert.True(received.Any(r => r.Contains(name)), $"{name} was not exported by OTLP");
        }

        Assert.Contains(received, r => r.Contains(serviceName));
    }

    private static WebApplicationBuilder NewWebBuilder()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "CheckoutAssembly" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddFakeLogging();
        return builder;
    }

    private static async Task<WebApplication> StartAsync(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapGet("/orders", () => "[]");
        await app.StartAsync();
        return app;
    }

    private static List<string> Messages(IServiceProvider services)
        => [.. services.GetFakeLogCollector().GetSnapshot().Select(r => r.Message)];
}
