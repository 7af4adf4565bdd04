namespace LocalComponents;

/// <summary>
/// Polls a real server until a condition holds. This waits for another process to reach a state; it is
/// not a timing assertion: the deadline only bounds a hung test.
/// </summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, Func<string>? diagnostics = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
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
#pragma warning disable CA1031 // The server is not there yet: any failure of the probe means "poll again".
            catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                last = ex;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Timed out waiting for {what}. Last value: {value}; last error: {last?.Message}\n{diagnostics?.Invoke()}");
    }
}
