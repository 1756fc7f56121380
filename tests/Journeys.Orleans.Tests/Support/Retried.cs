namespace Journeys.Orleans.Tests.Support;

/// <summary>
/// A call retried as a client would while the cluster recovers from a killed silo (same arguments, so the same message
/// id), every 250 ms until it succeeds or 90 s have passed.
/// </summary>
public static class Retried
{
    public static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    public static Task CallAsync(Func<Task> call) => CallAsync(async () => { await call(); return true; });
}
