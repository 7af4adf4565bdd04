using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IncidentTelemetry.Tests.Authentication;

/// <summary>
/// Week 49: logins rose tenfold after a session-store failover. A custom login endpoint with WithLoginTelemetry,
/// in a real Kestrel app, counts attempts by result and method, and nothing about the user reaches /metrics.
/// </summary>
public sealed class LoginAttemptsTests
{
    private const string Counter = "incident_login_attempts_total";

    // Personal data a client may send; none of it may appear anywhere in the scrape.
    private static readonly string[] PersonalData =
    [
        "alice.smith@example.com", "bob-4711", "203.0.113.77", "user-id-9f8e7d2c", "shopper-carol", "hunter2-secret",
    ];

    // Tests run in parallel and OpenTelemetry listens to meters by name process-wide, so each test uses its own method.
    [Fact]
    public async Task LoginEndpoint_AttemptsWithPersonalData_CountedByResultNoPersonalDataInMetrics()
    {
        await using var app = await LoopbackApp.StartAsync(
            _ => { },
            a => a.MapPost("/login", (Credentials credentials) => credentials.User switch
            {
                "shopper-carol" when credentials.Password == "correct horse" => Results.Ok(),
                "bob-4711" => Results.StatusCode(StatusCodes.Status423Locked),
                "user-id-9f8e7d2c" => Results.Forbid(),
                "boom" => throw new InvalidOperationException("the user store is down"),
                _ => Results.Unauthorized(),
            }).WithLoginTelemetry(method: "web-form"));
        using var http = new HttpClient { BaseAddress = LoopbackApp.BaseUri(app) };

        async Task<HttpStatusCode> LoginAsync(string user, string password)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = JsonContent.Create(new Credentials(user, password)) };
            request.Headers.Add("X-Forwarded-For", "203.0.113.77");
            request.Headers.Add("X-User-Email", "alice.smith@example.com");
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await LoginAsync("shopper-carol", "correct horse"));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync("shopper-carol", "correct horse"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync("alice.smith@example.com", "hunter2-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync("203.0.113.77", "hunter2-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync("shopper-carol", "hunter2-secret"));
        Assert.Equal((HttpStatusCode)423, await LoginAsync("bob-4711", "hunter2-secret"));
        Assert.Equal(HttpStatusCode.InternalServerError, await LoginAsync("boom", "hunter2-secret"));

        var text = await http.GetStringAsync("/metrics");
        var counts = ExpositionSample.ParseAll(text)
            .Where(s => s.Name == Counter && s.Labels["incident_login_method"] == "web-form")
            .ToDictionary(s => (s.Labels["incident_login_result"], s.Labels["incident_login_method"]), s => s.Value);

        Assert.Equal(2, counts[("success", "web-form")]);
        Assert.Equal(3, counts[("failure", "web-form")]);
        Assert.Equal(1, counts[("locked_out", "web-form")]);
        Assert.Equal(1, counts[("error", "web-form")]);
        Assert.Equal(7, counts.Values.Sum());
        Assert.All(PersonalData, value => Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData(200, LoginResult.Success)]
    [InlineData(204, LoginResult.Success)]
    [InlineData(302, LoginResult.Success)]
    [InlineData(400, LoginResult.Failure)]
    [InlineData(401, LoginResult.Failure)]
    [InlineData(403, LoginResult.NotAllowed)]
    [InlineData(423, LoginResult.LockedOut)]
    [InlineData(429, LoginResult.LockedOut)]
    [InlineData(500, LoginResult.Error)]
    [InlineData(503, LoginResult.Error)]
    [InlineData(101, null)]
    public void Classify_StatusCode_MapsToBoundedResult(int status, LoginResult? expected)
        => Assert.Equal(expected, IncidentTelemetry.Authentication.LoginTelemetryFilter.Classify(status));

    [Theory]
    [InlineData("")]
    [InlineData("password:sha256")]
    [InlineData("alice@example.com")]
    [InlineData("sso provider")]
    public void WithLoginTelemetry_MethodNotAShortToken_ThrowsAtStartup(string method)
    {
        var app = WebApplication.CreateBuilder().Build();
        var error = Assert.ThrowsAny<ArgumentException>(() => app.MapPost("/login", () => Results.Ok()).WithLoginTelemetry(method));
        Assert.Equal("method", error.ParamName);
    }

    internal sealed record Credentials(string User, string Password);
}
