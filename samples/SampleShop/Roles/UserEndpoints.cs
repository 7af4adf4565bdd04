using System.Security.Cryptography;
using System.Text;
using IncidentTelemetry;

namespace SampleShop.Roles;

/// <summary>
/// user-service: a custom login endpoint and the ASP.NET Core session, kept in Redis behind Sentinel in the
/// drills (week 49, incident 1). The session payload size is a drill switch.
/// </summary>
internal static class UserEndpoints
{
    private static volatile int sessionPayloadBytes;

    public static void Map(WebApplication app, ShopOptions shop)
    {
        sessionPayloadBytes = shop.SessionPayloadBytes;

        var login = app.MapPost("/login", async (LoginRequest request, HttpContext context) =>
        {
            if (!Users.Check(request.User, request.Password))
            {
                return Results.Unauthorized();
            }

            await context.Session.LoadAsync(context.RequestAborted);
            context.Session.SetString("user", request.User ?? string.Empty);
            context.Session.Set("cart", CartPayload(sessionPayloadBytes));
            await context.Session.CommitAsync(context.RequestAborted);
            return Results.Ok(new { status = "signed-in" });
        });
        Login(login);

        app.MapGet("/cart", async (HttpContext context) =>
        {
            await context.Session.LoadAsync(context.RequestAborted);
            var cart = context.Session.Get("cart");
            if (cart is null)
            {
                return Results.Unauthorized(); // session gone (expired, evicted, or lost in a failover)
            }

            var size = sessionPayloadBytes;
            if (cart.Length < size)
            {
                // The new feature of week 49: recommendations kept in the session, rewritten as the cart is viewed.
                context.Session.Set("cart", CartPayload(size));
                await context.Session.CommitAsync(context.RequestAborted);
            }

            return Results.Ok(new { items = cart.Length / 64 });
        });

        if (shop.AdminEnabled)
        {
            app.MapPost("/admin/session-payload", (int bytes) =>
            {
                sessionPayloadBytes = Math.Clamp(bytes, 0, 16 * 1024 * 1024);
                return Results.Ok(new { bytes = sessionPayloadBytes });
            });
        }
    }

    // Login attempts by result (success, failure, ...) and method, never the user name: incident.login.attempts.
    // The session cart written at login goes through the session store, which AddIncidentTelemetry() decorates
    // (incident.cache.payload.size with incident.cache.name="sessions").
    private static void Login(RouteHandlerBuilder endpoint) => endpoint.WithLoginTelemetry(method: "password");

    private static byte[] CartPayload(int bytes)
    {
        // Random, so that Redis cannot share or compress it: the memory is really used.
        var payload = new byte[bytes];
        RandomNumberGenerator.Fill(payload);
        return payload;
    }

    internal sealed record LoginRequest(string? User, string? Password);

    /// <summary>The sample's users: every "shopperN" with the password "correct horse".</summary>
    private static class Users
    {
        private static readonly byte[] Expected = SHA256.HashData(Encoding.UTF8.GetBytes("correct horse"));

        public static bool Check(string? user, string? password)
            => user is { Length: > 0 } && user.StartsWith("shopper", StringComparison.Ordinal) && password is not null
               && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(password)), Expected);
    }
}
