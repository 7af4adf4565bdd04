using System.Data.Common;

namespace SampleShop.Roles;

/// <summary>
/// inventory-service: stock look-ups by SKU. The drill switch drops the index the look-up needs, as the
/// migration of week 49 (incident 2) did, and the query turns into a full scan.
/// </summary>
internal static class InventoryEndpoints
{
    public static void Map(WebApplication app, ShopOptions shop, DbDataSource inventory)
    {
        app.MapGet("/inventory/{sku:int}", async (int sku, CancellationToken token) =>
        {
            try
            {
                await using var connection = await inventory.OpenConnectionAsync(token);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT quantity FROM inventory WHERE sku = @sku";
                var parameter = command.CreateParameter();
                parameter.ParameterName = "sku";
                parameter.Value = $"SKU-{sku % shop.InventoryRows:D8}";
                command.Parameters.Add(parameter);
                var quantity = await command.ExecuteScalarAsync(token);
                return Results.Ok(new { sku, quantity = Convert.ToInt32(quantity ?? 0, System.Globalization.CultureInfo.InvariantCulture) });
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
            {
                return Results.Problem("inventory unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });

        if (shop.AdminEnabled)
        {
            app.MapPost("/admin/inventory/index", async (bool present) =>
            {
                await using var connection = await inventory.OpenConnectionAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = present
                    ? "CREATE INDEX IF NOT EXISTS inventory_sku ON inventory (sku)"
                    : "DROP INDEX IF EXISTS inventory_sku";
                await command.ExecuteNonQueryAsync();
                return Results.Ok(new { index = present });
            });
        }
    }

    public static async Task InitializeAsync(DbDataSource inventory, bool postgres, int rows)
    {
        await using var connection = await inventory.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandTimeout = 600;
        command.CommandText = postgres
            ? $"""
              CREATE TABLE IF NOT EXISTS inventory (sku text NOT NULL, quantity int NOT NULL, description text NOT NULL);
              INSERT INTO inventory (sku, quantity, description)
                SELECT 'SKU-' || lpad(i::text, 8, '0'), i % 500, repeat('x', 200)
                FROM generate_series(0, {rows - 1}) AS i
                WHERE NOT EXISTS (SELECT 1 FROM inventory LIMIT 1);
              CREATE INDEX IF NOT EXISTS inventory_sku ON inventory (sku);
              ANALYZE inventory;
              """
            : $"""
              CREATE TABLE IF NOT EXISTS inventory (sku TEXT NOT NULL, quantity INTEGER NOT NULL, description TEXT NOT NULL);
              WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {rows - 1})
                INSERT INTO inventory (sku, quantity, description)
                SELECT 'SKU-' || printf('%08d', i), i % 500, 'item' FROM n
                WHERE NOT EXISTS (SELECT 1 FROM inventory LIMIT 1);
              CREATE INDEX IF NOT EXISTS inventory_sku ON inventory (sku);
              """;
        await command.ExecuteNonQueryAsync();
    }
}
