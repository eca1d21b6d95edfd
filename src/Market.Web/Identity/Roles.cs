namespace Market.Web.Identity;

public static class Roles
{
    public const string Creator = nameof(Creator);
    public const string Buyer = nameof(Buyer);
    public const string Finance = nameof(Finance);
    public const string Moderator = nameof(Moderator);
    public const string Admin = nameof(Admin);

    public static readonly string[] All = [Creator, Buyer, Finance, Moderator, Admin];

    /// <summary>Roles whose accounts must use two-factor authentication before they can do anything.</summary>
    public static readonly string[] RequireTwoFactor = [Finance, Moderator, Admin];
}

public static class Policies
{
    public const string Creator = "creator";
    public const string Buyer = "buyer";
    /// <summary>A buyer who administers their organisation: members, invitations, API tokens.</summary>
    public const string OrganisationAdmin = "organisation-admin";
    public const string Finance = "finance";
    public const string Curator = "curator";
    public const string Moderator = "moderator";
    public const string Admin = "admin";
}
