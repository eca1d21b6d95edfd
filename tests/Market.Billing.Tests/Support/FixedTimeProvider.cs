namespace Market.Billing.Tests.Support;

/// <summary>A clock that never moves, so a test decides what "now" is.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
