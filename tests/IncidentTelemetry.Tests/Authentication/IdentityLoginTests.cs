using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry.Tests.Authentication;

/// <summary>
/// A login endpoint built on the real ASP.NET Core Identity (SignInManager, UserManager, password hasher, cookies):
/// Identity's own check_password_attempts is the source, and WithLoginTelemetry counts only what Identity did not, so
/// the sum of both counters equals the attempts made.
/// </summary>
public sealed class IdentityLoginTests
{
    private const string IdentityCounter = "aspnetcore_identity_sign_in_check_password_attempts_total";
    private const string OwnCounter = "incident_login_attempts_total";

    [Fact]
    public async Task LoginEndpoint_IdentityChecksPassword_CountedOnceAcrossBothCounters()
    {
        await using var app = await LoopbackApp.StartAsync(
            _ => { },
            a => a.MapPost("/login", async (Credentials credentials, SignInManager<ShopUser> signIn) =>
            {
                var result = await signIn.PasswordSignInAsync(credentials.User, credentials.Password, isPersistent: false, lockoutOnFailure: false);
                return result.Succeeded ? Results.Ok() : Results.Json(result.ToString(), statusCode: StatusCodes.Status401Unauthorized);
            }).WithLoginTelemetry("identity-password"),
            builderSetup: builder =>
            {
                builder.Services.AddSingleton<IUserStore<ShopUser>>(new UserStore());
                builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
                builder.Services.AddIdentityCore<ShopUser>().AddSignInManager();
            });

        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ShopUser>>();
            var created = await users.CreateAsync(new ShopUser { UserName = "alice.smith@example.com" }, "Correct-Horse-1");
            Assert.True(created.Succeeded, string.Join(", ", created.Errors.Select(e => e.Code)));
        }

        using var http = new HttpClient { BaseAddress = LoopbackApp.BaseUri(app) };
        async Task<HttpStatusCode> LoginAsync(string user, string password)
        {
            using var response = await http.PostAsJsonAsync("/login", new Credentials(user, password));
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await LoginAsync("alice.smith@example.com", "Correct-Horse-1"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync("alice.smith@example.com", "wrong-Password-2"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync("mallory@example.com", "wrong-Password-3"));
        Assert.Equal(HttpStatusCode.Unauthorized, await LoginAsync("mallory@example.com", "wrong-Password-4"));
        const int attempts = 4;

        var samples = ExpositionSample.ParseAll(await http.GetStringAsync("/metrics"));
        var byIdentity = samples.Where(s => s.Name == IdentityCounter).ToList();
        var byUs = samples.Where(s => s.Name == OwnCounter && s.Labels["incident_login_method"] == "identity-password").ToList();

        // Identity checked the two passwords of the known user; the unknown user never reached a password check.
        Assert.Equal(2, byIdentity.Sum(s => s.Value));
        Assert.Equal(1, byIdentity.Single(s => s.Labels["aspnetcore_identity_sign_in_result"] == "success").Value);
        Assert.Equal(attempts, byIdentity.Sum(s => s.Value) + byUs.Sum(s => s.Value));
        Assert.All(byUs, s => Assert.Equal("failure", s.Labels["incident_login_result"]));
        Assert.DoesNotContain(samples, s => s.Line.Contains("example.com", StringComparison.OrdinalIgnoreCase));
    }

    internal sealed record Credentials(string User, string Password);

    internal sealed class ShopUser
    {
        public string Id { get; } = Guid.NewGuid().ToString("N");

        public string? UserName { get; set; }

        public string? NormalizedUserName { get; set; }

        public string? PasswordHash { get; set; }
    }

    /// <summary>The smallest Identity user store: users in memory, with passwords.</summary>
    internal sealed class UserStore : IUserPasswordStore<ShopUser>
    {
        private readonly ConcurrentDictionary<string, ShopUser> users = new();

        public Task<IdentityResult> CreateAsync(ShopUser user, CancellationToken cancellationToken)
        {
            this.users[user.Id] = user;
            return Task.FromResult(IdentityResult.Success);
        }

        public Task<IdentityResult> DeleteAsync(ShopUser user, CancellationToken cancellationToken)
            => Task.FromResult(this.users.TryRemove(user.Id, out _) ? IdentityResult.Success : IdentityResult.Failed());

        public Task<ShopUser?> FindByIdAsync(string userId, CancellationToken cancellationToken)
            => Task.FromResult(this.users.GetValueOrDefault(userId));

        public Task<ShopUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken)
            => Task.FromResult(this.users.Values.FirstOrDefault(u => u.NormalizedUserName == normalizedUserName));

        public Task<string?> GetNormalizedUserNameAsync(ShopUser user, CancellationToken cancellationToken) => Task.FromResult(user.NormalizedUserName);

        public Task<string?> GetPasswordHashAsync(ShopUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);

        public Task<string> GetUserIdAsync(ShopUser user, CancellationToken cancellationToken) => Task.FromResult(user.Id);

        public Task<string?> GetUserNameAsync(ShopUser user, CancellationToken cancellationToken) => Task.FromResult(user.UserName);

        public Task<bool> HasPasswordAsync(ShopUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

        public Task SetNormalizedUserNameAsync(ShopUser user, string? normalizedName, CancellationToken cancellationToken)
        {
            user.NormalizedUserName = normalizedName;
            return Task.CompletedTask;
        }

        public Task SetPasswordHashAsync(ShopUser user, string? passwordHash, CancellationToken cancellationToken)
        {
            user.PasswordHash = passwordHash;
            return Task.CompletedTask;
        }

        public Task SetUserNameAsync(ShopUser user, string? userName, CancellationToken cancellationToken)
        {
            user.UserName = userName;
            return Task.CompletedTask;
        }

        public Task<IdentityResult> UpdateAsync(ShopUser user, CancellationToken cancellationToken) => Task.FromResult(IdentityResult.Success);

        public void Dispose()
        {
        }
    }
}
