using Market.Domain.Catalog;
using Market.Domain.Licensing;
using Market.Domain.Moderation;
using Market.Web.Identity;
using Market.Web.Notifications;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Data;

/// <summary>
/// Identity and the catalog, in schema <c>market</c>. The ledger (Marten, schema <c>ledger</c>) and the jobs
/// (Hangfire, schema <c>hangfire</c>) live in the same database so a sale's EF rows and ledger events can
/// commit in one transaction (see Mediation/UnitOfWork).
/// </summary>
public sealed class MarketDb(DbContextOptions<MarketDb> options) : IdentityDbContext<MarketUser>(options), IDataProtectionKeyContext
{
    public const string Schema = "market";

    public DbSet<Work> Works => Set<Work>();
    public DbSet<LicenseOffer> LicenseOffers => Set<LicenseOffer>();
    public DbSet<RightsHolder> RightsHolders => Set<RightsHolder>();
    public DbSet<WorkFlag> WorkFlags => Set<WorkFlag>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<EmailOptOut> EmailOptOuts => Set<EmailOptOut>();
    public DbSet<OutboxEmail> OutboxEmails => Set<OutboxEmail>();
    public DbSet<ConsentRecord> ConsentRecords => Set<ConsentRecord>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<OrganisationInvitation> OrganisationInvitations => Set<OrganisationInvitation>();
    public DbSet<Bundle> Bundles => Set<Bundle>();
    public DbSet<CuratedBundle> CuratedBundles => Set<CuratedBundle>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<License> Licenses => Set<License>();
    public DbSet<TrainingRun> TrainingRuns => Set<TrainingRun>();
    public DbSet<DeletionAttestation> DeletionAttestations => Set<DeletionAttestation>();
    public DbSet<ExpiryNoticeRecord> ExpiryNotices => Set<ExpiryNoticeRecord>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<ProcessedPaymentEvent> ProcessedPaymentEvents => Set<ProcessedPaymentEvent>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Market.Web.Detection.StoredFingerprint> Fingerprints => Set<Market.Web.Detection.StoredFingerprint>();
    public DbSet<Claim> Claims => Set<Claim>();
    public DbSet<Sanction> Sanctions => Set<Sanction>();
    public DbSet<ReviewCase> ReviewCases => Set<ReviewCase>();
    public DbSet<Registrant> Registrants => Set<Registrant>();
    public DbSet<ProtectedWork> ProtectedWorks => Set<ProtectedWork>();

    /// <summary>Display names of the given users, for pages and snapshots that credit people by name.</summary>
    public Task<Dictionary<string, string>> DisplayNamesAsync(IEnumerable<string> userIds, CancellationToken ct)
    {
        var ids = userIds.Distinct().ToList();
        return Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
    }

    /// <summary>The organisation holding each of the given licenses, by license id.</summary>
    public Task<Dictionary<Guid, string>> LicenseeNamesAsync(IEnumerable<Guid> licenseIds, CancellationToken ct)
    {
        var ids = licenseIds.Distinct().ToList();
        return Licenses.Where(l => ids.Contains(l.Id))
            .Join(Organisations, l => l.OrganisationId, o => o.Id, (l, o) => new { l.Id, o.Name })
            .ToDictionaryAsync(x => x.Id, x => x.Name, ct);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
        builder.ApplyConfigurationsFromAssembly(typeof(MarketDb).Assembly);
    }
}

/// <summary>An inbox row per payment confirmation handled, so a provider's redelivery changes nothing.</summary>
public sealed class ProcessedPaymentEvent
{
    public required string Provider { get; init; }
    public required string EventId { get; init; }
    public required Guid OrderId { get; init; }
    public required DateTimeOffset ProcessedAt { get; init; }
}
