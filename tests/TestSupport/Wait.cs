using Xunit;

namespace Portal.TestSupport;

public static class Wait
{
    /// <summary>
    /// Polls until the condition holds; fails with the message (and <paramref name="details"/>, read at the failure) after
    /// the timeout (generous: the machine is loaded).
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? details = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}" + (details is null ? "" : $"\n{details()}"));
            await Task.Delay(50);
        }
    }

    /// <summary>As <see cref="UntilAsync(Func{Task{bool}}, string, TimeSpan?, Func{string}?)"/>, for a condition that needs no await.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? details = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout, details);
}
