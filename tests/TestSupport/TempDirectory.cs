namespace Portal.TestSupport;

/// <summary>A directory under the system temp dir for one test, deleted with everything in it when disposed.</summary>
public sealed class TempDirectory(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process the test started may still be closing a file; the OS temp cleaner gets the rest.
        }
    }
}
