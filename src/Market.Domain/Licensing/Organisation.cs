namespace Market.Domain.Licensing;

/// <summary>A buyer organisation. Bundles, orders and licenses belong to it, not to the member who clicked.</summary>
public sealed class Organisation
{
    public const int MaxNameLength = 120;

    private Organisation() { Name = null!; }

    public static Organisation Create(Guid id, string? name, DateTimeOffset now)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) throw new DomainException("Enter your organisation's name.");
        if (name.Length > MaxNameLength) throw new DomainException($"The organisation name must be at most {MaxNameLength} characters.");
        return new Organisation { Id = id, Name = name, CreatedAt = now };
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}
