using System.Data.Common;

namespace SampleShop.Roles;

/// <summary>payment-service: a checkout holds a database connection for the length of its transaction (week 50, incident 1).</summary>
internal static class PaymentEndpoints
{
    public static void Map(WebApplication app, ShopOptions shop, DbDataSource payments)
    {
        var hold = TimeSpan.FromMilliseconds(shop.CheckoutHoldMilliseconds);

        app.MapPost("/checkout", async (CancellationToken token) =>
        {
            try
            {
                await using var connection = await payments.OpenConnectionAsync(token);
                await using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO payments (amount_cents) VALUES (4200)";
                await command.ExecuteNonQueryAsync(token);
                await Task.Delay(hold, token); // the rest of the transaction: fraud check, provider call
                return Results.Ok(new { status = "paid" });
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
            {
                // Pool exhausted or database gone: the customer sees a failed checkout, the service lives on.
                return Results.Problem("checkout failed", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
    }

    public static async Task InitializeAsync(DbDataSource payments, bool postgres)
    {
        await using var connection = await payments.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = postgres
            ? "CREATE TABLE IF NOT EXISTS payments (id bigserial PRIMARY KEY, amount_cents int NOT NULL, at timestamptz NOT NULL DEFAULT now())"
            : "CREATE TABLE IF NOT EXISTS payments (id INTEGER PRIMARY KEY AUTOINCREMENT, amount_cents INTEGER NOT NULL, at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)";
        await command.ExecuteNonQueryAsync();
    }
}
