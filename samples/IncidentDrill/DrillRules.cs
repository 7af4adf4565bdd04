namespace IncidentDrill;

/// <summary>The bundled rules, rendered at the drill's time scale.</summary>
internal static class DrillRules
{
    public static Task<string> RenderAsync(string directory, int scale)
    {
        _ = directory;
        _ = scale;
        throw new NotSupportedException("Pass --rules FILE: rendering the bundled rules at a time scale is not wired yet.");
    }
}
