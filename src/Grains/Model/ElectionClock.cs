namespace Portal.Grains.Model;

/// <summary>
/// Election time. In normal mode it is the real clock; in demo mode the process start maps to
/// <see cref="DemoOptions.StartAt"/> on the election day and the day plays accelerated
/// (<see cref="DemoOptions.DayMinutes"/> real minutes for <see cref="DemoOptions.DayHours"/> election hours).
/// The embargo and "protocols only after close" use this clock; request signatures use the real one.
/// </summary>
public sealed class ElectionClock
{
    private readonly TimeProvider _real;
    private readonly DateTimeOffset _realAnchor;
    private readonly DateTimeOffset _electionAnchor;
    private readonly TimeProvider? _electionTime;

    /// <summary>Election time = real time.</summary>
    public ElectionClock(ElectionCatalog catalog, TimeProvider? real = null)
        : this(catalog, real ?? TimeProvider.System, speed: 1, electionAnchor: null) { }

    private ElectionClock(ElectionCatalog catalog, TimeProvider real, double speed, DateTimeOffset? electionAnchor, DateTimeOffset? realAnchor = null)
    {
        Catalog = catalog;
        _real = real;
        Speed = speed;
        _realAnchor = realAnchor ?? real.GetUtcNow();
        _electionAnchor = electionAnchor ?? _realAnchor;
    }

    private ElectionClock(ElectionCatalog catalog, TimeProvider electionTime, bool driven)
    {
        Catalog = catalog;
        _real = TimeProvider.System;
        _electionTime = electionTime;
        Speed = 1;
    }

    /// <summary>
    /// Accelerated demo clock: <paramref name="realAnchor"/> (default: now) is <paramref name="options"/>.StartAt of the
    /// election day. A cluster passes one anchor to every node so all of them show the same election time.
    /// </summary>
    public static ElectionClock Accelerated(ElectionCatalog catalog, DemoOptions options, TimeProvider? real = null, DateTimeOffset? realAnchor = null)
    {
        var election = catalog.Election;
        var localDay = TimeZoneInfo.ConvertTime(election.PollsOpen, catalog.TimeZone).Date;
        var offset = catalog.TimeZone.GetUtcOffset(localDay);
        var start = new DateTimeOffset(localDay + options.StartAt.ToTimeSpan(), offset);
        var speed = options.DayHours * 60.0 / options.DayMinutes;
        return new ElectionClock(catalog, real ?? TimeProvider.System, speed, start, realAnchor);
    }

    /// <summary>Election time driven by any time provider (tests use a fake one).</summary>
    public static ElectionClock FromTimeProvider(ElectionCatalog catalog, TimeProvider electionTime) => new(catalog, electionTime, driven: true);

    public ElectionCatalog Catalog { get; }

    /// <summary>Election seconds per real second (1 in normal mode).</summary>
    public double Speed { get; }

    public DateTimeOffset Now
    {
        get
        {
            if (_electionTime is not null) return _electionTime.GetUtcNow().ToOffset(Catalog.TimeZone.GetUtcOffset(_electionTime.GetUtcNow()));
            var elapsed = _real.GetUtcNow() - _realAnchor;
            var now = _electionAnchor + TimeSpan.FromTicks((long)(elapsed.Ticks * Speed));
            return now.ToOffset(Catalog.TimeZone.GetUtcOffset(now));
        }
    }

    public bool PollsOpen => Now >= Catalog.Election.PollsOpen;

    public bool PollsClosed => Now >= Catalog.Election.PollsClose;

    /// <summary>Art. 103: no result figure of any kind leaves the system before polls close. Pages and the hub ask this.</summary>
    public bool ResultsArePublic => PollsClosed;

    /// <summary>
    /// The election time of a real instant (a camera's state change, stamped by the gateway's real clock): itself in normal
    /// mode and for a driven clock, mapped through the accelerated day in the demo.
    /// </summary>
    public DateTimeOffset ElectionTimeOf(DateTimeOffset realInstant)
    {
        if (_electionTime is not null || Speed == 1) return realInstant.ToOffset(Catalog.TimeZone.GetUtcOffset(realInstant));
        var at = _electionAnchor + TimeSpan.FromTicks((long)((realInstant - _realAnchor).Ticks * Speed));
        return at.ToOffset(Catalog.TimeZone.GetUtcOffset(at));
    }

    /// <summary>The real instant of an election moment: the inverse of <see cref="ElectionTimeOf"/> (where video is in the archive).</summary>
    public DateTimeOffset RealTimeOf(DateTimeOffset electionMoment)
    {
        if (_electionTime is not null || Speed == 1) return electionMoment.ToUniversalTime();
        return (_realAnchor + TimeSpan.FromTicks((long)((electionMoment - _electionAnchor).Ticks / Speed))).ToUniversalTime();
    }

    /// <summary>True when election time runs at another speed than the real clock (the accelerated demo day).</summary>
    public bool IsAccelerated => _electionTime is null && Speed != 1;

    /// <summary>
    /// The mapping as a line, for what computes election time outside this process (the demo camera's burned-in clock,
    /// the player's rewind field): election = <see cref="ElectionAnchor"/> + (real - <see cref="RealAnchor"/>) x
    /// <see cref="Speed"/>. Both anchors are the same instant when the clock is not accelerated (the identity).
    /// </summary>
    public DateTimeOffset RealAnchor => IsAccelerated ? _realAnchor : DateTimeOffset.UnixEpoch;

    /// <inheritdoc cref="RealAnchor"/>
    public DateTimeOffset ElectionAnchor => IsAccelerated ? _electionAnchor : DateTimeOffset.UnixEpoch;

    /// <summary>The real time left until an election moment (zero if past).</summary>
    public TimeSpan RealDelayUntil(DateTimeOffset electionMoment)
    {
        var ahead = electionMoment - Now;
        return ahead <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks((long)(ahead.Ticks / Speed));
    }
}

/// <summary>Options section "Demo": the generated election and its accelerated day.</summary>
public sealed class DemoOptions
{
    /// <summary>Seed of the generated election: the same seed and day give the same election.</summary>
    public int Seed { get; set; } = 2024;

    public int Stations { get; set; } = Demo.DemoElectionOptions.DefaultStations;

    /// <summary>The cameras of the first N stations stream; the others are defined but disabled.</summary>
    public int ActiveCameraStations { get; set; } = Demo.DemoElectionOptions.DefaultActiveCameraStations;

    /// <summary>The election day (yyyy-MM-dd); empty means today in Tashkent, so the demo day is always live.</summary>
    public string? Day { get; set; }

    public const string Section = "Demo";
    public const double DefaultDayMinutes = 10;

    /// <summary>True: the election clock runs accelerated from <see cref="StartAt"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>Real minutes the election day (<see cref="DayHours"/>) takes.</summary>
    public double DayMinutes { get; set; } = DefaultDayMinutes;

    /// <summary>Election hours that <see cref="DayMinutes"/> cover: 07:30 to 21:30 by default.</summary>
    public double DayHours { get; set; } = 14;

    /// <summary>The election-day local time the process start maps to.</summary>
    public TimeOnly StartAt { get; set; } = new(7, 30);
}
