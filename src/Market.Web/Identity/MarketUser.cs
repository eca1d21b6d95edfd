using Microsoft.AspNetCore.Identity;

namespace Market.Web.Identity;

public sealed class MarketUser : IdentityUser
{
    public const int MaxDisplayNameLength = 100;

    /// <summary>The name creators are credited under, and buyers see on licenses.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>Buyer organisation the member belongs to; null for creators, finance and staff.</summary>
    public Guid? OrganisationId { get; set; }

    /// <summary>The member's role in <see cref="OrganisationId"/>; null exactly when that is null.</summary>
    public Market.Domain.Licensing.OrganisationRole? OrganisationRole { get; set; }
}
