namespace IncidentTelemetry.AlertSimulation;

/// <summary>
/// Time in the simulation: 30 s steps (the scrape and evaluation interval) from Monday 00:00 of the first week, the
/// day the monitoring was installed. Day 10 (the second Thursday) is a public holiday.
/// </summary>
internal static class Calendar
{
    public const int StepSeconds = 30;
    public const int StepsPerDay = 86400 / StepSeconds;
    public const int StepsPerHour = 3600 / StepSeconds;
    public const int HolidayDay = 10;

    /// <summary>
    /// The day of the first ramped incidents: by default 14 (the third Monday, after two healthy weeks); the others
    /// follow on the next day. A Monday with a week of history before it (7) gives a shorter run the same baseline.
    /// Set before the first simulation.
    /// </summary>
    public static int IncidentDay { get; set; } = 14;

    /// <summary>The step of day <paramref name="day"/> (0 = the first Monday) at <paramref name="hour"/> (fractional).</summary>
    public static int Step(int day, double hour) => (day * StepsPerDay) + (int)Math.Round(hour * StepsPerHour);

    public static int Day(int step) => step / StepsPerDay;

    public static double Hour(int step) => (step % StepsPerDay) / (double)StepsPerHour;

    public static bool IsWeekend(int day) => day % 7 >= 5;

    public static bool IsWorkday(int day) => !IsWeekend(day) && day != HolidayDay;

    public static string Describe(int step)
    {
        var day = Day(step);
        var names = new[] { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
        var time = TimeSpan.FromSeconds((step % StepsPerDay) * StepSeconds);
        return $"week {(day / 7) + 1} {names[day % 7]} {time:hh\\:mm\\:ss}";
    }

    /// <summary>
    /// The share of the peak request rate at <paramref name="step"/>: weekdays ramp about 5x from the 06:00 low to
    /// the 09:00 peak; weekends and the holiday are lower and peak later; Monday mornings run 15 % above other days;
    /// the second week has 3 % more traffic; one night (the second Saturday, 01:00–05:00) runs at 40 % of a normal
    /// night.
    /// </summary>
    public static double Load(int step)
    {
        var day = Day(step);
        var hour = Hour(step);
        double[] workday = [0, 0.35, 3, 0.22, 6, 0.2, 7, 0.45, 8, 0.8, 9, 1.0, 12, 0.92, 13, 0.95, 17, 0.85, 19, 0.7, 21, 0.6, 23, 0.42, 24, 0.35];
        double[] weekend = [0, 0.35, 3, 0.2, 6, 0.18, 9, 0.35, 11, 0.6, 14, 0.62, 18, 0.55, 21, 0.5, 24, 0.35];
        var load = Interpolate(IsWorkday(day) ? workday : weekend, hour);
        if (day % 7 == 0)
        {
            load *= 1 + (0.15 * Bump(hour, 8, 12));
        }

        if (day >= 7)
        {
            load *= 1.03;
        }

        if (day == 12 && hour is >= 1 and < 5)
        {
            load *= 1 - (0.6 * Bump(hour, 1, 5));
        }

        return load;
    }

    /// <summary>0 outside [from, to], rising smoothly to 1 in the middle.</summary>
    public static double Bump(double hour, double from, double to)
        => hour <= from || hour >= to ? 0 : 0.5 - (0.5 * Math.Cos(2 * Math.PI * (hour - from) / (to - from)));

    private static double Interpolate(double[] points, double hour)
    {
        for (var i = 0; i + 3 < points.Length; i += 2)
        {
            if (hour <= points[i + 2])
            {
                var f = (hour - points[i]) / (points[i + 2] - points[i]);
                var smooth = 0.5 - (0.5 * Math.Cos(Math.PI * f));
                return points[i + 1] + ((points[i + 3] - points[i + 1]) * smooth);
            }
        }

        return points[^1];
    }
}
