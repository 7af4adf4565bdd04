namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// Polls a real server until a condition holds. This is waiting for another process to reach a state,
/// not a timing assertion: the deadline only bounds a hung test.
/// </summary>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        T? value = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                value = await probe();
                if (done(value))
                {
                    return value;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or TaskCanceledException or System.Net.Sockets.SocketException or Npgsql.NpgsqlException)
            {
                last = ex;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Timed out waiting for {what}. Last value: {value}; last error: {last?.Message}\n{diagnostics?.Invoke()}");
    }
}
