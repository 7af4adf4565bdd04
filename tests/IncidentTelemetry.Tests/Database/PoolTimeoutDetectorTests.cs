using System.Globalization;
using System.Resources;
using IncidentTelemetry.Database;
using Microsoft.Data.SqlClient;
using Npgsql;

namespace IncidentTelemetry.Tests.Database;

public sealed class PoolTimeoutDetectorTests
{
    [Fact]
    public void IsPoolTimeout_SqlClientPooledOpenTimeoutMessage_ReturnsTrue()
    {
        // The exact text Microsoft.Data.SqlClient throws (InvalidOperationException, resource ADP_PooledOpenTimeout).
        var resources = new ResourceManager("Microsoft.Data.SqlClient.Resources.Strings", typeof(SqlConnection).Assembly);
        var message = resources.GetString("ADP_PooledOpenTimeout", CultureInfo.InvariantCulture);
        Assert.NotNull(message);
        Assert.StartsWith("Timeout expired.", message, StringComparison.Ordinal);

        Assert.True(PoolTimeoutDetector.IsPoolTimeout(new InvalidOperationException(message)));
    }

    [Fact]
    public void IsPoolTimeout_SqlClientNonPooledTimeout_ReturnsFalse()
    {
        var resources = new ResourceManager("Microsoft.Data.SqlClient.Resources.Strings", typeof(SqlConnection).Assembly);
        var message = resources.GetString("ADP_NonPooledOpenTimeout", CultureInfo.InvariantCulture);
        Assert.NotNull(message);

        Assert.False(PoolTimeoutDetector.IsPoolTimeout(new InvalidOperationException(message)));
    }

    [Fact]
    public void IsPoolTimeout_NpgsqlPoolExhausted_ReturnsTrue()
    {
        var exception = new NpgsqlException(
            "The connection pool has been exhausted, either raise 'Max Pool Size' (currently 5) or 'Timeout' (currently 1 seconds) in your connection string.",
            new TimeoutException());

        Assert.True(PoolTimeoutDetector.IsPoolTimeout(exception));
    }

    [Theory]
    [InlineData("Exception while connecting", true)]
    [InlineData("Exception while reading from stream", false)]
    public void IsPoolTimeout_OtherNpgsqlErrors_ReturnsFalse(string message, bool innerTimeout)
    {
        var exception = innerTimeout ? new NpgsqlException(message, new TimeoutException()) : new NpgsqlException(message);

        Assert.False(PoolTimeoutDetector.IsPoolTimeout(exception));
    }

    [Fact]
    public void IsPoolTimeout_UnrelatedExceptions_ReturnFalse()
    {
        Assert.False(PoolTimeoutDetector.IsPoolTimeout(new InvalidOperationException("The connection was not closed.")));
        Assert.False(PoolTimeoutDetector.IsPoolTimeout(new TimeoutException("pool")));
        Assert.False(PoolTimeoutDetector.IsPoolTimeout(new OperationCanceledException()));
    }
}
