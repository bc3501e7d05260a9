using Xunit;

namespace Portal.TestSupport;

public static class Wait
{
    /// <summary>Polls until the condition holds; fails with the message after the timeout (generous: the machine is loaded).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }
}
