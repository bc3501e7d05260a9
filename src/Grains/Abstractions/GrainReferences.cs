namespace Portal.Grains.Abstractions;

/// <summary>
/// Grain references without <c>GetGrain&lt;T&gt;(key)</c>'s per-call cost: that call resolves T's grain interface type
/// by reading its attributes through reflection every time (a profile of the protocol intake put it at ~4% of the
/// process's time: a station, constituency and notifier reference per station). The grain and interface types of T are
/// taken from the first reference made the ordinary way and reused; the reference is the same one GetGrain returns.
/// </summary>
public static class GrainReferences
{
    public static T Get<T>(IGrainFactory grains, string key) where T : IGrainWithStringKey =>
        Types<T>.Value is { } types ? (T)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface) : Learn(grains.GetGrain<T>(key));

    public static T Get<T>(IGrainFactory grains, long key) where T : IGrainWithIntegerKey =>
        Types<T>.Value is { } types
            ? (T)grains.GetGrain(GrainId.Create(types.Grain, GrainIdKeyExtensions.CreateIntegerKey(key)), types.Interface)
            : Learn(grains.GetGrain<T>(key));

    private static T Learn<T>(T first)
    {
        var reference = (GrainReference)(object)first!;
        Types<T>.Value = new TypePair(reference.GrainId.Type, reference.InterfaceType);
        return first;
    }

    // The types are names derived from the interface and the grain class: the same for every silo and client of a
    // process. A class, so a reader on another thread sees the pair whole.
    private static class Types<T>
    {
        public static TypePair? Value;
    }

    private sealed record TypePair(GrainType Grain, GrainInterfaceType Interface);
}
