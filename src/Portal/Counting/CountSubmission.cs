using Portal.Grains.Counting;
using Portal.Grains.Results;

namespace Portal.Counting;

/// <summary>A volunteer's count as sent by the /count page: the count and the press times (seconds from the clip's start).</summary>
public sealed class CountSubmission
{
    public int? Count { get; set; }
    public List<double>? Presses { get; set; }
}

/// <summary>Checks a count against its clip: a human's presses, inside the clip, as many as the count.</summary>
public static class CountSubmissionRules
{
    /// <summary>The player may start a segment early and end one late: a press this far outside the clip is still inside it.</summary>
    public const double EdgeSlackSeconds = 2;

    public static IReadOnlyList<FieldError> Validate(CountSubmission body, double clipSeconds, CountingOptions options)
    {
        var errors = new List<FieldError>();
        if (body.Count is null) errors.Add(new("count", "required", "the count is required"));
        else if (body.Count < 0) errors.Add(new("count", "negative", "a count is 0 or more"));
        if (body.Presses is null) { errors.Add(new("presses", "required", "the press times are required")); return errors; }
        var most = (int)Math.Floor(options.MaxPressesPerSecond * clipSeconds) + 2;
        if (body.Presses.Count > most)
        {
            errors.Add(new("presses", "too-many", $"{body.Presses.Count} presses in a {clipSeconds:0} s clip: more than a person counts (at most {most})"));
            return errors;
        }
        if (body.Count is { } count && count >= 0 && count != body.Presses.Count)
            errors.Add(new("presses", "mismatch", $"{body.Presses.Count} press times for a count of {count}"));
        for (var i = 0; i < body.Presses.Count; i++)
        {
            var t = body.Presses[i];
            if (double.IsNaN(t) || t < -EdgeSlackSeconds || t > clipSeconds + EdgeSlackSeconds)
            {
                errors.Add(new($"presses[{i}]", "outside-clip", $"a press at {t:0.###} s is outside the clip (0..{clipSeconds:0.#} s)"));
                break;
            }
            if (i > 0 && t < body.Presses[i - 1])
            {
                errors.Add(new($"presses[{i}]", "order", "press times go forward"));
                break;
            }
        }
        return errors;
    }
}
