namespace Market.Integration.Tests.Infrastructure;

public static class Wait
{
    /// <summary>Polls a condition (a job's effect) until it holds, failing with the description after the bound.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Gave up waiting until {what}.");
            await Task.Delay(100);
        }
    }
}
