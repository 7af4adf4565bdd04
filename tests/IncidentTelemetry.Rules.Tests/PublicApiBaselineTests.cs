namespace IncidentTelemetry.Rules.Tests;

/// <summary>
/// The public API baseline is enforced by the build, not by review: a copy of this package's project with one
/// public type that PublicAPI.Unshipped.txt does not record must fail to build, naming the type. (Every package
/// gets the analyzer from Directory.Build.targets; the main build of the solution is the case that passes.)
/// </summary>
public sealed class PublicApiBaselineTests
{
    [Fact]
    public async Task Build_PublicTypeNotInTheBaseline_FailsWithRS0016NamingIt()
    {
        using var dir = new TempDirectory("it-publicapi-");

        // The repository's build files, so that the copy builds exactly as the package does.
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json", ".editorconfig" })
        {
            File.Copy(Repository.File(file), dir.Combine(file));
        }

        var project = dir.Combine("src", "IncidentTelemetry.Rules");
        CopySources(Repository.File("src", "IncidentTelemetry.Rules"), project);

        // The metric catalogue the package compiles as linked source (../Shared/Telemetry/*.cs).
        CopySources(Repository.File("src", "Shared"), dir.Combine("src", "Shared"));

        File.WriteAllText(
            Path.Combine(project, "UnrecordedProbe.cs"),
            "namespace IncidentTelemetry.Rules;\n\n/// <summary>Not in PublicAPI.Unshipped.txt.</summary>\npublic static class UnrecordedProbe\n{\n}\n");

        var (exitCode, output) = await ExternalProcess.RunAsync(
            "dotnet",
            ["build", Path.Combine(project, "IncidentTelemetry.Rules.csproj"), "-c", "Release", "-nologo"],
            TimeSpan.FromMinutes(5),
            environment: new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" });

        Assert.NotEqual(0, exitCode);
        Assert.Contains("RS0016", output, StringComparison.Ordinal);
        Assert.Contains("UnrecordedProbe", output, StringComparison.Ordinal);
    }

    private static void CopySources(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }
    }
}
