using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IncidentDrill;

/// <summary>
/// How far a run is: which drill, which phase (starting, baseline, incident, charts, stopping), elapsed
/// against expected time, and the alerts seen so far. On a terminal a live display (Spectre.Console) under
/// the log; otherwise (CI, a redirected output) a plain <c>progress:</c> line at every change of phase and
/// every 30 s.
/// </summary>
internal abstract class DrillProgress
{
    private readonly Stopwatch run = Stopwatch.StartNew();
    private readonly Stopwatch drillClock = new();
    private readonly Stopwatch phaseClock = new();
    private readonly List<(string Key, string State, TimeSpan At)> alerts = [];
    private int index;
    private int count;
    private string drill = string.Empty;
    private string phase = "starting";
    private TimeSpan? phaseExpected;
    private TimeSpan drillExpected;
    private TimeSpan? incidentAt;
    private TimeSpan? impactAt;

    /// <summary>Where the drills' log lines go.</summary>
    public abstract TextWriter Log { get; }

    /// <summary>The display for this process: live on a terminal, plain lines when the output is redirected.</summary>
    public static DrillProgress ForConsole()
        => Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive ? new PlainProgress(Console.Out) : new LiveProgress();

    /// <summary>Runs the drills under the display.</summary>
    public abstract Task RunAsync(Func<Task> drills);

    public void StartDrill(int number, int total, Drill started, TimeSpan expected)
    {
        lock (this.alerts)
        {
            (this.index, this.count, this.drill, this.drillExpected, this.incidentAt, this.impactAt) = (number, total, $"{started.Name} {started.Title}", expected, null, null);
            this.alerts.Clear();
            this.drillClock.Restart();
        }

        this.Phase("starting", null);
    }

    /// <summary>A new phase, with how long it is expected to take (for an incident: at most).</summary>
    public void Phase(string name, TimeSpan? expected)
    {
        lock (this.alerts)
        {
            (this.phase, this.phaseExpected) = (name, expected);
            if (name == "incident" && this.incidentAt is null)
            {
                this.incidentAt = this.drillClock.Elapsed;
            }

            this.phaseClock.Restart();
        }

        this.Changed();
    }

    /// <summary>An alert changed state (pending, firing, resolved).</summary>
    public void Alert(string key, string state)
    {
        lock (this.alerts)
        {
            this.alerts.RemoveAll(a => a.Key == key && state == "resolved" && a.State != "firing");
            var seen = this.alerts.FindIndex(a => a.Key == key);
            var at = this.drillClock.Elapsed;
            if (state == "resolved")
            {
                if (seen >= 0)
                {
                    this.alerts[seen] = this.alerts[seen] with { State = "fired, resolved" };
                }
            }
            else if (seen < 0 || this.alerts[seen].State != "firing")
            {
                if (seen >= 0)
                {
                    this.alerts.RemoveAt(seen);
                }

                this.alerts.Add((key, state, at));
            }
        }
    }

    /// <summary>Customer impact was observed (see <see cref="DrillImpact"/>).</summary>
    public void Impact()
    {
        lock (this.alerts)
        {
            this.impactAt ??= this.drillClock.Elapsed;
        }

        this.Changed();
    }

    /// <summary>One line: drill, phase, times, alerts seen and customer impact.</summary>
    public string Line()
    {
        lock (this.alerts)
        {
            var expected = this.phaseExpected is { } e ? $" of {(this.phase == "incident" ? "at most " : string.Empty)}{DrillLog.Stamp(e)}" : string.Empty;
            var seen = this.alerts.Count == 0 ? "none" : string.Join(", ", this.alerts.Select(a => this.Describe(a with { Key = a.Key.Split('{')[0] })));
            return string.Create(CultureInfo.InvariantCulture, $"progress: drill {this.index}/{this.count} {this.drill} · {this.phase} {DrillLog.Stamp(this.phaseClock.Elapsed)}{expected} · drill {DrillLog.Stamp(this.drillClock.Elapsed)} of ~{DrillLog.Stamp(this.drillExpected)} · run {DrillLog.Stamp(this.run.Elapsed)} · alerts seen: {seen}{this.ImpactText()}");
        }
    }

    /// <summary>" · impact +12s (6 min unscaled)" once impact was observed, relative to the build-up's start.</summary>
    private string ImpactText()
        => this.impactAt is { } at && this.incidentAt is { } start ? $" · impact {(int)(at - start).TotalSeconds:+0;-0}s ({LeadTime.Minutes(LeadTime.Unscaled(at - start))} unscaled)" : string.Empty;

    protected IRenderable Table()
    {
        lock (this.alerts)
        {
            var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("what").AddColumn("state");
            table.AddRow(new Markup("[bold]drill[/]"), new Text($"{this.index}/{this.count} {this.drill}"));
            var expected = this.phaseExpected is { } e ? $" of {(this.phase == "incident" ? "at most " : string.Empty)}{DrillLog.Stamp(e)}" : string.Empty;
            table.AddRow(new Markup("[bold]phase[/]"), new Text($"{this.phase} {DrillLog.Stamp(this.phaseClock.Elapsed)}{expected}"));
            table.AddRow(new Markup("[bold]time[/]"), new Text($"drill {DrillLog.Stamp(this.drillClock.Elapsed)} of ~{DrillLog.Stamp(this.drillExpected)} · run {DrillLog.Stamp(this.run.Elapsed)}"));
            var rows = this.alerts.Select(a => new Markup(a.State switch
            {
                "firing" => $"[red]{Markup.Escape(this.Describe(a))}[/]",
                "pending" => $"[yellow]{Markup.Escape(this.Describe(a))}[/]",
                _ => Markup.Escape(this.Describe(a)),
            })).ToList();
            table.AddRow(new Markup("[bold]alerts[/]"), rows.Count == 0 ? new Text("none yet") : new Rows(rows));
            table.AddRow(new Markup("[bold]impact[/]"), new Text(this.impactAt is null ? "not yet" : this.ImpactText().TrimStart(' ', '·')));
            return table;
        }
    }

    protected virtual void Changed()
    {
    }

    private string Describe((string Key, string State, TimeSpan At) alert)
    {
        var since = this.incidentAt is { } start ? alert.At - start : alert.At;
        var sign = since < TimeSpan.Zero ? "-" : "+";
        return string.Create(CultureInfo.InvariantCulture, $"{alert.Key} {alert.State} {(this.incidentAt is null ? "at " + DrillLog.Stamp(alert.At) : $"{sign}{(int)Math.Abs(since.TotalSeconds)}s")}");
    }
}

/// <summary>Plain lines, for CI and redirected output: at every change of phase and every 30 s.</summary>
internal sealed class PlainProgress(TextWriter output) : DrillProgress
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    public override TextWriter Log => output;

    public override async Task RunAsync(Func<Task> drills)
    {
        using var timer = new Timer(_ => this.Write(), null, Every, Every);
        await drills();
    }

    protected override void Changed() => this.Write();

    private void Write()
    {
        lock (output)
        {
            output.WriteLine(this.Line());
        }
    }
}

/// <summary>A live table under the scrolling log, on a terminal.</summary>
internal sealed class LiveProgress : DrillProgress
{
    /// <summary>One console, one writer: it lives as long as the process.</summary>
    private static readonly ConsoleLines Lines = new();

    public override TextWriter Log => Lines;

    public override async Task RunAsync(Func<Task> drills)
    {
        await AnsiConsole.Live(this.Table()).AutoClear(true).StartAsync(async live =>
        {
            using var stop = new CancellationTokenSource();
            var refresh = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    lock (Lines)
                    {
                        live.UpdateTarget(this.Table());
                    }

                    await Task.Delay(500, CancellationToken.None);
                }
            });
            try
            {
                await drills();
            }
            finally
            {
                await stop.CancelAsync();
                await refresh;
            }
        });
    }

    /// <summary>The log's lines, written through Spectre.Console so that they scroll above the live table.</summary>
    private sealed class ConsoleLines : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        private readonly System.Text.StringBuilder pending = new();

        public override void Write(char value)
        {
            lock (this)
            {
                if (value == '\n')
                {
                    AnsiConsole.Write(new Text(this.pending.ToString().TrimEnd('\r') + Environment.NewLine));
                    this.pending.Clear();
                }
                else
                {
                    this.pending.Append(value);
                }
            }
        }

        public override void Write(string? value)
        {
            lock (this)
            {
                foreach (var c in value ?? string.Empty)
                {
                    this.Write(c);
                }
            }
        }

        public override void WriteLine(string? value)
        {
            lock (this)
            {
                this.Write(value);
                this.Write('\n');
            }
        }

        public override void WriteLine() => this.Write('\n');
    }
}
