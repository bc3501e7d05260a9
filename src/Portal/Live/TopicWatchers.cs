namespace Portal.Live;

/// <summary>
/// How many subscriptions of this host's viewers each topic has. Not thread-safe: its owner holds its own lock around it.
/// </summary>
public sealed class TopicWatchers
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int Count => _counts.Count;

    public bool Contains(string topic) => _counts.ContainsKey(topic);

    public void Add(string topic) => _counts[topic] = _counts.GetValueOrDefault(topic) + 1;

    /// <summary>One subscription fewer; true when that was the topic's last one.</summary>
    public bool Remove(string topic)
    {
        if (!_counts.TryGetValue(topic, out var n)) return false;
        if (n > 1)
        {
            _counts[topic] = n - 1;
            return false;
        }
        _counts.Remove(topic);
        return true;
    }
}
