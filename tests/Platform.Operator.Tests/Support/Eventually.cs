namespace Platform.Operator.Tests.Support;

/// <summary>Polls a condition until it is true or a timeout passes, for state that a background loop produces.</summary>
internal static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, string description, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await probe();
            if (value is not null)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {(timeout ?? TimeSpan.FromSeconds(20)).TotalSeconds} s waiting for {description}.");
            }

            await Task.Delay(50);
        }
    }

    public static async Task WaitAsync(Func<Task<bool>> probe, string description, TimeSpan? timeout = null) =>
        await WaitAsync<object>(async () => await probe() ? new object() : null, description, timeout);

    public static Task WaitAsync(Func<bool> probe, string description, TimeSpan? timeout = null) =>
        WaitAsync(() => Task.FromResult(probe()), description, timeout);
}
