using IncidentTelemetry.Database;

namespace IncidentTelemetry.Tests.Database;

public sealed class PoolSizeParserTests
{
    [Theory]
    [InlineData("Server=db;Database=payments;User Id=app;Password=x;Max Pool Size=50", 50)]
    [InlineData("Server=db;Maximum Pool Size=75", 75)]
    [InlineData("Server=db;max pool size=20", 20)]
    [InlineData("Server=db;MaxPoolSize=30", 30)]
    [InlineData("Server=db;MAX_POOL_SIZE=40", 40)]
    [InlineData("Server=db;Database=payments;Password=x", 100)]
    [InlineData("Server=db;Max Pool Size=not-a-number", 100)]
    [InlineData("Server=db;Max Pool Size=0", 100)]
    [InlineData("", 100)]
    public void GetMaxPoolSize_SqlServerConnectionString_ReadsSizeOrDefaultsTo100(string connectionString, int expected)
        => Assert.Equal(expected, PoolSizeParser.GetMaxPoolSize(connectionString, DatabaseProvider.SqlServer));

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=5", 5)]
    [InlineData("Host=db;Username=app", 100)]
    public void GetMaxPoolSize_NpgsqlConnectionString_ReadsSizeOrDefaultsTo100(string connectionString, int expected)
        => Assert.Equal(expected, PoolSizeParser.GetMaxPoolSize(connectionString, DatabaseProvider.Npgsql));

    [Theory]
    [InlineData("Server=db;Pooling=false;Max Pool Size=50")]
    [InlineData("Server=db;pooling=False")]
    public void GetMaxPoolSize_PoolingOff_ReturnsNull(string connectionString)
        => Assert.Null(PoolSizeParser.GetMaxPoolSize(connectionString, DatabaseProvider.SqlServer));

    [Fact]
    public void GetMaxPoolSize_Sqlite_ReturnsNull()
        => Assert.Null(PoolSizeParser.GetMaxPoolSize("Data Source=/tmp/x.db", DatabaseProvider.Sqlite));

    [Fact]
    public void GetMaxPoolSize_UnparsableConnectionString_ReturnsProviderDefault()
        => Assert.Equal(100, PoolSizeParser.GetMaxPoolSize("Server='unterminated", DatabaseProvider.SqlServer));
}
