namespace Journeys.Orleans.Tests.Support;

/// <summary>Waits for asynchronous delivery: polls until the condition holds, then returns its value.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Checks that a condition keeps holding for <paramref name="during"/> (for "this does not happen before that"):
    /// returns at the first value that breaks it, so a broken behaviour fails at once, or the last value read.
    /// </summary>
    public static async Task<T> Holds<T>(Func<Task<T>> read, Func<T, bool> holds, TimeSpan during)
    {
        var deadline = DateTime.UtcNow + during;
        while (true)
        {
            var value = await read();
            if (!holds(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50);
        }
    }
}
