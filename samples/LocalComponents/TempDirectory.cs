namespace LocalComponents;

/// <summary>A temporary directory removed when disposed.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "it-")
    {
        this.Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([this.Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(this.Path, recursive: true);
        }
        catch (IOException)
        {
            // A server that is still shutting down may hold a file; the OS cleans /tmp.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
