using System.Globalization;
using System.Net.Sockets;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.EndpointLatency;

/// <summary>
/// A client that controls methods, Host headers, header values and paths, and an app that calls dependencies
/// by host names it does not choose: the number of series stays bounded (route templates, <c>_OTHER</c>, the
/// cardinality limit with its overflow series), and nothing the attacker sent becomes a label unless it is a
/// dependency host name, which is capped by the limit.
/// </summary>
[Collection(nameof(RunsAlone))] // asserts the library reported nothing: the process-wide event source must hear only this test
public sealed class CardinalityAttackTests(ITestOutputHelper output)
{
    private const int Limit = 50;
    private const int ServerRequests = 600;
    private const int DependencyHosts = 300;

    [Fact]
    public async Task Metrics_RandomMethodsHostsHeadersAndDependencyHosts_SeriesBoundedByLimit()
    {
        using var errors = new LibraryErrors();
        await using var app = await LoopbackApp.StartAsync(
            o => o.CardinalityLimit = Limit,
            a =>
            {
                a.MapGet("/items/{id}", (string id) => Results.Ok(id.Length));
                a.MapMethods("/any", ["GET", "POST", "PUT", "DELETE", "PATCH"], () => Results.Ok());
            },
            errors.Logger);
        var baseUri = LoopbackApp.BaseUri(app);
        var random = new Random(4242);

        // Server side: random methods, Host headers, huge header values, random paths.
        using var http = new HttpClient();
        await Parallel.ForEachAsync(Enumerable.Range(0, ServerRequests), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            HttpRequestMessage message;
            lock (random)
            {
                var method = (i % 3) switch
                {
                    0 => "RNDM" + Token(random, 8),
                    1 => "GET",
                    _ => "POST",
                };
                var path = (i % 4) switch
                {
                    0 => $"/items/rndpath{Token(random, 12)}",
                    1 => "/any",
                    _ => $"/rndpath/{Token(random, 20)}",
                };
                message = new HttpRequestMessage(new HttpMethod(method), new Uri(baseUri, path));
                message.Headers.Host = $"rndhost{Token(random, 10)}.example:{random.Next(1, 65535).ToString(CultureInfo.InvariantCulture)}";
                message.Headers.TryAddWithoutValidation("User-Agent", "rndhdr" + new string('u', random.Next(1, 12_000)));
                message.Headers.TryAddWithoutValidation("X-Forwarded-For", "rndhdr" + Token(random, 2_000));
                if (i % 50 == 0)
                {
                    message.Headers.TryAddWithoutValidation("X-Huge", "rndhdr" + new string('h', 100_000)); // beyond Kestrel's limit: 431
                }
            }

            using (message)
            using (var response = await http.SendAsync(message, ct))
            {
                // Any status: the point is what the attempt leaves in the metrics.
            }
        });

        // Client side: the app's dependencies under host names nobody chose, every one answering (the
        // connection goes to this app whatever the name), so each name is a distinct server.address.
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, baseUri.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var dependencies = new HttpClient(handler);
        await Parallel.ForEachAsync(Enumerable.Range(0, DependencyHosts), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var host = $"dep{i.ToString(CultureInfo.InvariantCulture)}-rnddep.internal";
            using var response = await dependencies.GetAsync(new Uri($"http://{host}:{baseUri.Port.ToString(CultureInfo.InvariantCulture)}/any"), ct);
            response.EnsureSuccessStatusCode();
        });

        var text = await http.GetStringAsync(new Uri(baseUri, "/metrics"));
        var samples = Exposition.Samples(text);
        var serverSeries = SeriesOf(samples, "http_server_request_duration_seconds_count");
        var clientSeries = SeriesOf(samples, "http_client_request_duration_seconds_count");
        var largest = samples.Where(s => !s.Name.EndsWith("_bucket", StringComparison.Ordinal))
            .GroupBy(s => s.Name).Select(g => (Name: g.Key, Series: g.Count())).OrderByDescending(g => g.Series).First();
        output.WriteLine($"{ServerRequests} hostile requests -> {serverSeries.Count} http.server.request.duration series");
        output.WriteLine($"{DependencyHosts} dependency host names with CardinalityLimit={Limit} -> {clientSeries.Count} http.client.request.duration series ({clientSeries.Count(s => s.Labels.ContainsKey("otel_metric_overflow"))} overflow)");
        output.WriteLine($"largest family: {largest.Name} with {largest.Series} series; exposition {text.Length} chars");

        // The server keys requests by route template and known method: a handful of series whatever was sent.
        Assert.InRange(serverSeries.Count, 1, 20);
        Assert.Contains(serverSeries, s => s.Labels.GetValueOrDefault("http_request_method") == "_OTHER");
        Assert.DoesNotContain("rndhdr", text, StringComparison.Ordinal);
        Assert.DoesNotContain("RNDM", text, StringComparison.Ordinal);
        Assert.DoesNotContain("rndpath", text, StringComparison.Ordinal);

        // The Host header never labels a server series. (The test's own HttpClient runs in this process and
        // reports the Host it sent as server.address on its client series: that is the dependency case below.)
        Assert.DoesNotContain(samples, s => s.Name.StartsWith("http_server_", StringComparison.Ordinal) && s.Labels.Values.Any(v => v.Contains("rndhost", StringComparison.Ordinal)));

        // Dependency names do become server.address, but never more than the limit: the rest share one overflow
        // series, so an instrument has at most Limit + 1 series.
        Assert.InRange(clientSeries.Count, 1, Limit + 1);
        var overflow = Assert.Single(clientSeries, s => s.Labels.GetValueOrDefault("otel_metric_overflow") == "true");
        Assert.True(overflow.Value > 0, "the requests beyond the limit are still counted, in the overflow series");
        Assert.True(clientSeries.Sum(s => s.Value) >= DependencyHosts, "no dependency call lost");
        Assert.InRange(largest.Series, 1, Limit + 1);

        Assert.Empty(errors.Events);
    }

    private static List<ExpositionSample> SeriesOf(IReadOnlyList<ExpositionSample> samples, string name)
        => [.. samples.Where(s => s.Name == name)];

    private static string Token(Random random, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[r.Next(alphabet.Length)];
            }
        });
    }
}
