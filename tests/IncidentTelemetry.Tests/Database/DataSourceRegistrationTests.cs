using System.Data.Common;
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
    [InlineData("payments/db")]
    [InlineData("postgres://db/payments")]
    [InlineData("payments db")]
    [InlineData("db.example.com:5432")]
    public void AddIncidentTelemetryDataSource_BadPoolName_ThrowsNamingTheParameter(string poolName)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(() => new ServiceCollection().AddIncidentTelemetryDataSource(_ => NpgsqlDataSource.Create("Host=x"), poolName));
        Assert.Equal("poolName", exception.ParamName);
    }

    [Fact]
    public void AddIncidentTelemetryDataSource_PoolNameOverTheNameRule_ThrowsNamingValueAndLabel()
    {
        var name = new string('p', IncidentTelemetry.Internal.NameValidator.MaxLength + 1);
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddIncidentTelemetryDataSource(_ => NpgsqlDataSource.Create("Host=x"), name));
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("db_client_connection_pool_name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payments-db")]
    [InlineData("eu_west.orders-2")]
    [InlineData("Payments-DB")]
    public void AddIncidentTelemetryDataSource_NameFollowingTheRule_IsAccepted(string poolName)
    {
        var services = new ServiceCollection().AddIncidentTelemetryDataSource(_ => NpgsqlDataSource.Create("Host=x"), poolName);
        Assert.Contains(services, d => d.IsKeyedService && poolName.Equals(d.ServiceKey));

        var longest = new string('p', IncidentTelemetry.Internal.NameValidator.MaxLength);
        new ServiceCollection().AddIncidentTelemetryDataSource(_ => NpgsqlDataSource.Create("Host=x"), longest);
    }

    [Fact]
    public void AddIncidentTelemetryDataSource_TwoPools_EachKeyedByNameUnkeyedIsTheFirstContainerDisposesBoth()
    {
        var orders = NpgsqlDataSource.Create("Host=127.0.0.1;Username=x");
        var payments = NpgsqlDataSource.Create("Host=127.0.0.1;Username=y");
        var services = new ServiceCollection()
            .AddIncidentTelemetryDataSource(_ => orders, "orders-db")
            .AddIncidentTelemetryDataSource(_ => payments, "payments-db");
        var provider = services.BuildServiceProvider();

        var first = Assert.IsType<TelemetryDataSource>(provider.GetRequiredKeyedService<DbDataSource>("orders-db"));
        var second = Assert.IsType<TelemetryDataSource>(provider.GetRequiredKeyedService<DbDataSource>("payments-db"));
        Assert.Same(first, provider.GetRequiredService<DbDataSource>());
        Assert.Same(payments, second.Inner);
        Assert.Same(first.Pool.Metrics, second.Pool.Metrics);

        provider.Dispose();
        Assert.Throws<ObjectDisposedException>(() => orders.CreateConnection().Open());
        Assert.Throws<ObjectDisposedException>(() => payments.CreateConnection().Open());
    }

    [Fact]
    public void AddIncidentTelemetryDataSource_ConnectionStringAsName_FailsAtRegistration()
    {
        var services = new ServiceCollection();
        Assert.Throws<ArgumentException>(() => services.AddIncidentTelemetryDataSource(_ => NpgsqlDataSource.Create("Host=x"), "Host=x;Password=y"));
    }

    [Fact]
    public void AddIncidentTelemetryDataSource_SameNameTwice_Throws()
    {
        var services = new ServiceCollection().AddIncidentTelemetryDataSource(_ => NpgsqlDataSource.Create("Host=x"), "orders-db");
        var error = Assert.Throws<ArgumentException>(() => services.AddIncidentTelemetryDataSource(_ => NpgsqlDataSource.Create("Host=y"), "orders-db"));
        Assert.Equal("poolName", error.ParamName);
    }

    [Fact]
    public void AddIncidentTelemetryDataSource_SqlClientDataSource_RecognisesProviderAndMaxPoolSize()
    {
        using var decorated = SqlClientFactory.Instance
            .CreateDataSource("Server=127.0.0.1,1;Database=payments;User Id=app;Password=secret;Max Pool Size=50")
            .WithTestTelemetry("payments-db");
        var pool = ((TelemetryDataSource)decorated).Pool;

        Assert.Same(DatabaseProvider.SqlServer, pool.Provider);
        Assert.Equal(50, pool.MaxConnections);
    }

    [Fact]
    public void AddIncidentTelemetryDataSource_SqlClientWithoutMaxPoolSize_Uses100()
    {
        using var decorated = SqlClientFactory.Instance.CreateDataSource("Server=127.0.0.1,1;Database=payments").WithTestTelemetry("payments-db");
        Assert.Equal(100, ((TelemetryDataSource)decorated).Pool.MaxConnections);
    }

    [Fact]
    public void AddIncidentTelemetryDataSource_NpgsqlDataSource_RecognisesProviderAndMaxPoolSize()
    {
        using var decorated = NpgsqlDataSource.Create("Host=127.0.0.1;Username=x;Maximum Pool Size=9").WithTestTelemetry("payments-db");
        var pool = ((TelemetryDataSource)decorated).Pool;

        Assert.Same(DatabaseProvider.Npgsql, pool.Provider);
        Assert.Equal(9, pool.MaxConnections);
    }

    [Fact]
    public void AddIncidentTelemetryDataSource_SqliteDataSource_HasNoMaximum()
    {
        using var decorated = SqliteFactory.Instance.CreateDataSource("Data Source=:memory:").WithTestTelemetry("cache-db");
        var pool = ((TelemetryDataSource)decorated).Pool;

        Assert.Same(DatabaseProvider.Sqlite, pool.Provider);
        Assert.Null(pool.MaxConnections);
    }

    [Fact]
    public async Task Dispose_DecoratedDataSource_DisposesProviderAndLeavesTheMeter()
    {
        var inner = NpgsqlDataSource.Create("Host=127.0.0.1;Username=x");
        var decorated = inner.WithTestTelemetry("gone-db", out var meters);
        using var metrics = new DatabaseCollectors(meters);
        metrics.Observe();
        Assert.Contains(metrics.Max.GetMeasurementSnapshot(), m => m.Tag("db.client.connection.pool.name") == "gone-db");

        await decorated.DisposeAsync();

        metrics.Observe();
        Assert.DoesNotContain(
            metrics.Count.GetMeasurementSnapshot().Concat(metrics.Max.GetMeasurementSnapshot()).Concat(metrics.Pending.GetMeasurementSnapshot()),
            m => m.Tag("db.client.connection.pool.name") == "gone-db");
        Assert.Throws<ObjectDisposedException>(() => inner.CreateConnection().Open());
    }
}
