namespace Portal.Grains.Model;

/// <summary>One problem in an input file, named by the path of the bad field (e.g. <c>stations[12].votersOnList</c>).</summary>
public sealed record DefinitionError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Thrown when an input file fails validation; carries every error found, not only the first.</summary>
public sealed class DefinitionException(IReadOnlyList<DefinitionError> errors)
    : Exception($"{errors.Count} error(s): " + string.Join("; ", errors.Take(20)))
{
    public IReadOnlyList<DefinitionError> Errors { get; } = errors;
}
