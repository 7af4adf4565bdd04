using SampleShop.Redis;

namespace SampleShop;

/// <summary>
/// What this process of the sample shop plays, and where its real dependencies are. Bound from the
/// <c>Shop</c> section; every value has an embedded default so that <c>dotnet run</c> needs no server.
/// </summary>
internal sealed class ShopOptions
{
    public const string AllRoles = "all";

    /// <summary>Where the shop listens when neither ASPNETCORE_URLS, --urls nor HTTP_PORTS says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static readonly string[] Roles = [AllRoles, "api-gateway", "payment-service", "order-service", "inventory-service", "user-service"];

    /// <summary>One of <see cref="Roles"/>. Default: <c>all</c>, every endpoint in one process.</summary>
    public string Role { get; set; } = AllRoles;

    /// <summary>A PostgreSQL connection string. Default: none, an embedded SQLite file in a temporary directory.</summary>
    public string? Database { get; set; }

    /// <summary>The payment and inventory pool size (Max Pool Size). Default: 10.</summary>
    public int PoolSize { get; set; } = 10;

    /// <summary>How long a checkout holds its connection, in milliseconds (the work done in the transaction). Default: 20.</summary>
    public int CheckoutHoldMilliseconds { get; set; } = 20;

    /// <summary>Rows seeded into the inventory table. Default: 10,000.</summary>
    public int InventoryRows { get; set; } = 10_000;

    /// <summary>The session store. Default: none, the in-memory distributed cache.</summary>
    public RedisCacheSettings? Redis { get; set; }

    /// <summary>Bytes stored in a user's session at login (the payload that grew in week 49). Default: 2048.</summary>
    public int SessionPayloadBytes { get; set; } = 2048;

    /// <summary>How many requests the gateway works on at once; more wait (the shared resource of week 50, incident 3). Default: 64.</summary>
    public int GatewayConcurrency { get; set; } = 64;

    /// <summary>CPU work per catalog request, in milliseconds. Default: 2.</summary>
    public int CatalogWorkMilliseconds { get; set; } = 2;

    /// <summary>Base addresses of the other services. Default: this process (role <c>all</c>).</summary>
    public string? InventoryUrl { get; set; }

    /// <summary>Base address of payment-service for the gateway.</summary>
    public string? PaymentUrl { get; set; }

    /// <summary>Base address of order-service for the gateway.</summary>
    public string? OrderUrl { get; set; }

    /// <summary>Base address of user-service for the gateway.</summary>
    public string? UserUrl { get; set; }

    /// <summary>Whether the drill switches under <c>/admin</c> are mapped. Default: false.</summary>
    public bool AdminEnabled { get; set; }

    public bool Plays(string role) => this.Role == AllRoles || this.Role == role;
}
