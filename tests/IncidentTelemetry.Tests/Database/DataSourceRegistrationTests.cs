using IncidentTelemetry.Database;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IncidentTelemetry.Tests.Database;

public sealed class DataSourceRegistrationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("Host=db;Password=secret")]
    [InlineData("payments;db")]
    public void WithIncidentTelemetry_BadPoolName_ThrowsNamingTheParameter(string poolName)
    {
        using var inner = NpgsqlDataSource.Create("Host=127.0.0.1;Username=x");
        var exception = Assert.ThrowsAny<ArgumentException>(() => inner.WithIncidentTelemetry(poolName));
        Assert.Equal("poolName", exception.ParamName);
    }

    [Fact]
    public void WithIncidentTelemetry_PoolNameTooLong_Throws()
    {
        using var inner = NpgsqlDataSource.Create("Host=127.0.0.1;Username=x");
        Assert.Throws<ArgumentException>(() => inner.WithIncidentTelemetry(new string('p', 129)));
    }

    [Fact]
    public void AddIncidentTelemetryDataSource_ConnectionStringAsName_FailsAtRegistration()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentException>(() => services.AddIncidentTelemetryDataSource(_ => NpgsqlDataSource.Create("Host=x"), "Host=x;Password=y"));
    }

    [Fact]
    public void WithIncidentTelemetry_AlreadyDecorated_Throws()
    {
        using var decorated = NpgsqlDataSource.Create("Host=127.0.0.1;Username=x").WithIncidentTelemetry("orders-db");
        Assert.Throws<ArgumentException>(() => decorated.WithIncidentTelemetry("orders-db"));
    }

    [Fact]
    public void WithIncidentTelemetry_SqlClientDataSource_RecognisesProviderAndMaxPoolSize()
    {
        using var decorated = SqlClientFactory.Instance
            .CreateDataSource("Server=127.0.0.1,1;Database=payments;User Id=app;Password=secret;Max Pool Size=50")
            .WithIncidentTelemetry("payments-db");
        var pool = ((TelemetryDataSource)decorated).Pool;

        Assert.Same(DatabaseProvider.SqlServer, pool.Provider);
        Assert.Equal(50, pool.MaxConnections);
    }

    [Fact]
    public void WithIncidentTelemetry_SqlClientWithoutMaxPoolSize_Uses100()
    {
        using var decorated = SqlClientFactory.Instance.CreateDataSource("Server=127.0.0.1,1;Database=payments").WithIncidentTelemetry("payments-db");
        Assert.Equal(100, ((TelemetryDataSource)decorated).Pool.MaxConnections);
    }

    [Fact]
    public void WithIncidentTelemetry_NpgsqlDataSource_RecognisesProviderAndMaxPoolSize()
    {
        using var decorated = NpgsqlDataSource.Create("Host=127.0.0.1;Username=x;Maximum Pool Size=9").WithIncidentTelemetry("payments-db");
        var pool = ((TelemetryDataSource)decorated).Pool;

        Assert.Same(DatabaseProvider.Npgsql, pool.Provider);
        Assert.Equal(9, pool.MaxConnections);
    }

    [Fact]
    public void WithIncidentTelemetry_SqliteDataSource_HasNoMaximum()
    {
        using var decorated = SqliteFactory.Instance.CreateDataSource("Data Source=:memory:").WithIncidentTelemetry("cache-db");
        var pool = ((TelemetryDataSource)decorated).Pool;

        Assert.Same(DatabaseProvider.Sqlite, pool.Provider);
        Assert.Null(pool.MaxConnections);
    }

    [Fact]
    public async Task Dispose_DecoratedDataSource_DisposesProviderAndLeavesTheMeter()
    {
        using var capture = new MeterCapture(IncidentTelemetry.Internal.MetricsConstants.DatabaseMeterName);
        var inner = NpgsqlDataSource.Create("Host=127.0.0.1;Username=x");
        var decorated = inner.WithIncidentTelemetry("gone-db");
        Assert.Contains(capture.Observe(), m => m.Tag("db.client.connection.pool.name") == "gone-db");

        await decorated.DisposeAsync();

        Assert.DoesNotContain(capture.Observe(), m => m.Tag("db.client.connection.pool.name") == "gone-db");
        Assert.Throws<ObjectDisposedException>(() => inner.CreateConnection().Open());
    }
}
