namespace SampleShop;

/// <summary>
/// The two settings of the sample's <c>ShopOptions</c> that the catalog endpoints read, with the sample's
/// defaults; bound from <c>Shop</c> as in the sample.
/// </summary>
internal sealed class ShopOptions
{
    /// <summary>How many requests the gateway works on at once. Default: 64.</summary>
    public int GatewayConcurrency { get; set; } = 64;

    /// <summary>CPU work per catalog request, in milliseconds. Default: 2.</summary>
    public int CatalogWorkMilliseconds { get; set; } = 2;
}
