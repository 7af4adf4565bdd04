namespace LocalComponents;

/// <summary>Paths inside the repository, found from the running assembly (a test, or a drill run from its bin folder).</summary>
public static class Repository
{
    /// <summary>The folder that holds IncidentTelemetry.sln.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "IncidentTelemetry.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"IncidentTelemetry.sln not found above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>The build configuration the running assembly was built with (Debug or Release).</summary>
    public static string Configuration
        => AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>A file under the repository root.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>The built sample shop, built with the same configuration as the running assembly.</summary>
    public static string SampleShopDll => SampleDll("SampleShop");

    /// <summary>The dll of the project samples/<paramref name="sampleProject"/>, built with the same configuration as the running assembly.</summary>
    public static string SampleDll(string sampleProject)
    {
        var path = Path.Combine(Root, "samples", sampleProject, "bin", Configuration, "net10.0", sampleProject + ".dll");
        return System.IO.File.Exists(path)
            ? path
            : throw new InvalidOperationException($"{path} is missing: build the solution first (dotnet build IncidentTelemetry.sln -c {Configuration}).");
    }
}
