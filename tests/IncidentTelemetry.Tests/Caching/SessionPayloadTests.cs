using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentTelemetry.Tests.Caching;

/// <summary>
/// Week 49, incident 1: session payloads grew until Redis ran out of memory. The real session middleware in a real
/// Kestrel app, with AddIncidentTelemetry() before or after AddSession(), shows the payload in the size histogram
/// served on the library's own /metrics endpoint.
/// </summary>
public sealed class SessionPayloadTests
{
    private const string SizeHistogram = "incident_cache_payload_size_bytes";
    private const int PayloadBytes = 200 * 1024;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Session_200KbStoredThroughKestrel_WriteAndReadLandIn256KiBBucket(bool telemetryFirst)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (telemetryFirst)
        {
            builder.AddIncidentTelemetry();
        }

        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddSession();
        if (!telemetryFirst)
        {
            builder.AddIncidentTelemetry();
        }

        await using var app = builder.Build();
        app.UseSession();
        app.MapPost("/cart", async (HttpContext context) =>
        {
            await context.Session.LoadAsync();
            context.Session.Set("cart", new byte[PayloadBytes]);
            await context.Session.CommitAsync();
            return Results.Ok();
        });
        app.MapGet("/cart", async (HttpContext context) =>
        {
            await context.Session.LoadAsync();
            return Results.Ok(context.Session.Get("cart")?.Length ?? -1);
        });
        await app.StartAsync();

        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(app.Urls.First()) };
        (await http.PostAsync("/cart", null)).EnsureSuccessStatusCode();
        Assert.Equal(PayloadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), await http.GetStringAsync("/cart"));
        var text = await http.GetStringAsync("/metrics");

        foreach (var operation in new[] { "write", "read" })
        {
            var buckets = Exposition.Buckets(text, SizeHistogram, ("incident_cache_name", "sessions"), ("incident_cache_operation", operation));
            Assert.True(buckets.Count > 0, $"no {operation} buckets in:\n{text}");
            Assert.Equal(0, buckets[65536]);
            Assert.Equal(1, buckets[262144]);
            Assert.Equal(1, buckets[double.PositiveInfinity]);
        }

        var durations = Exposition.Buckets(text, "incident_cache_operation_duration_seconds", ("incident_cache_name", "sessions"), ("incident_cache_operation", "write"));
        Assert.Equal(1, durations[double.PositiveInfinity]);
        Assert.Subset(
            new HashSet<string> { "incident_cache_name", "incident_cache_operation", "error_type", "le", "otel_scope_name", "otel_scope_version" },
            Exposition.LabelNames(text, SizeHistogram));
    }

    [Fact]
    public async Task AddIncidentTelemetry_DevelopmentAppWithoutCacheOrSession_BuildsAndStarts()
    {
        // Development turns on ValidateOnBuild: nothing the library registers may demand an IDistributedCache.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddIncidentTelemetry();
        await using var app = builder.Build();
        app.MapGet("/", () => "ok");

        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        Assert.Equal("ok", await http.GetStringAsync("/"));
        await app.StopAsync();
    }

    [Fact]
    public async Task Session_AppRegistersItsOwnStore_StoreLeftAlone()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddSession();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Session.ISessionStore, OwnStore>();
        builder.AddIncidentTelemetry();
        await using var app = builder.Build();

        Assert.IsType<OwnStore>(app.Services.GetRequiredService<Microsoft.AspNetCore.Session.ISessionStore>());
    }

    private sealed class OwnStore : Microsoft.AspNetCore.Session.ISessionStore
    {
        public ISession Create(string sessionKey, TimeSpan idleTimeout, TimeSpan ioTimeout, Func<bool> tryEstablishSession, bool isNewSessionKey)
            => throw new NotSupportedException();
    }
}
