namespace IncidentDrill;

/// <summary>
/// A loop on the thread pool that runs until it is disposed (or until the token it is linked to is cancelled);
/// disposing cancels it and waits for it to end. The alert watcher and the load generators run on one each.
/// </summary>
internal sealed class BackgroundLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource stop;
    private readonly Task loop;

    public BackgroundLoop(Func<CancellationToken, Task> body, CancellationToken linkedTo = default)
    {
        this.stop = CancellationTokenSource.CreateLinkedTokenSource(linkedTo);
        this.loop = Task.Run(() => body(this.stop.Token), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await this.stop.CancelAsync();
        try
        {
            await this.loop;
        }
        catch (OperationCanceledException)
        {
        }

        this.stop.Dispose();
    }
}
