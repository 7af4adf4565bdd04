using System.Data;
using IncidentTelemetry.Database;

namespace IncidentTelemetry.Tests.Database;

public sealed class SqlOperationNameTests
{
    [Theory]
    [InlineData("SELECT * FROM stock", "SELECT")]
    [InlineData("  select 1", "SELECT")]
    [InlineData("\n-- find it\n  Update stock SET quantity = 1", "UPDATE")]
    [InlineData("/* tag: checkout */ INSERT INTO payments VALUES (1)", "INSERT")]
    [InlineData("(SELECT 1) UNION (SELECT 2)", "SELECT")]
    [InlineData("delete from sessions", "DELETE")]
    [InlineData("WITH x AS (SELECT 1) SELECT * FROM x", "WITH")]
    [InlineData("PRAGMA journal_mode", "PRAGMA")]
    [InlineData("vacuum", "VACUUM")]
    [InlineData("SELECTED_ITEMS", "_OTHER")]
    [InlineData("select1", "_OTHER")]
    [InlineData("frobnicate the table", "_OTHER")]
    [InlineData("/* never closed", "_OTHER")]
    [InlineData("", "_OTHER")]
    [InlineData(null, "_OTHER")]
    public void Get_CommandText_ReturnsBoundedKeyword(string? text, string expected)
        => Assert.Equal(expected, SqlOperationName.Get(text, CommandType.Text));

    [Fact]
    public void Get_StoredProcedure_ReturnsExecuteNotTheProcedureName()
        => Assert.Equal("EXECUTE", SqlOperationName.Get("dbo.ReserveStock", CommandType.StoredProcedure));

    [Fact]
    public void Get_Keyword_ReturnsInternedConstant()
        => Assert.Same(SqlOperationName.Get("SELECT 1", CommandType.Text), SqlOperationName.Get("select 2", CommandType.Text));
}
