using System.Text;
using Market.Domain;
using Market.Domain.Moderation;
using Market.Web.Data;
using Market.Web.Detection;
using Market.Domain.Detection;
using Market.Web.Features.Moderation;
using Market.Web.Identity;
using Market.Web.Mediation;
using Market.Web.Notifications;
using MediatR;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Market.Web.Features.Registry;

/// <summary>
/// The e-mail check of a registry application: a link carrying the application id, the address and when it was
/// issued, protected (encrypted and authenticated) by ASP.NET Data Protection, so it cannot be guessed or edited.
/// The lifetime is checked against the site's clock.
/// </summary>
public static class RegistryVerification
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);
    private const string Purpose = "Market.Registry.EmailVerification.v1";

    public static string Sign(IDataProtectionProvider protection, Guid registrantId, string email, DateTimeOffset now) =>
        Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(protection.CreateProtector(Purpose)
            .Protect(Encoding.UTF8.GetBytes($"{registrantId:N}|{now.ToUnixTimeSeconds()}|{email}")));

    /// <summary>The application and address the link was made for, or null for anything forged, damaged or expired.</summary>
    public static (Guid RegistrantId, string Email)? Check(IDataProtectionProvider protection, string? token, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000) return null;
        try
        {
            var text = Encoding.UTF8.GetString(protection.CreateProtector(Purpose).Unprotect(Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(token)));
            var parts = text.Split('|', 3);
            if (parts.Length != 3 || !Guid.TryParseExact(parts[0], "N", out var id) || !long.TryParse(parts[1], out var issued)) return null;
            if (now - DateTimeOffset.FromUnixTimeSeconds(issued) > Lifetime) return null;
            return (id, parts[2]);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>For someone with no account yet: a plain account (no creator or buyer role) is made with the application.</summary>
public sealed record NewAccount(string? DisplayName, string? Password);

/// <summary>A rights holder applies. The account's confirmed address verifies at once; any other address gets a signed link.</summary>
public sealed record ApplyToRegistry(string? UserId, NewAccount? Account, string? LegalName, string? Email, string? Organisation, string? Statement, string? EvidenceUrl)
    : ICommand<(Registrant Registrant, MarketUser User)>;

internal sealed class ApplyToRegistryHandler(MarketDb db, UserManager<MarketUser> users, Notifier notifier, IDataProtectionProvider protection,
    SiteSettings site, TimeProvider clock) : IRequestHandler<ApplyToRegistry, (Registrant, MarketUser)>
{
    public async Task<(Registrant, MarketUser)> Handle(ApplyToRegistry request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        MarketUser user;
        if (request.UserId is not null)
        {
            user = await db.Users.FirstAsync(u => u.Id == request.UserId, ct);
            if (await db.Registrants.AnyAsync(r => r.UserId == user.Id, ct))
                throw new DomainException("You have applied to the registry already; see its page for where your application stands.");
        }
        else
        {
            var name = request.Account?.DisplayName?.Trim();
            if (string.IsNullOrEmpty(name)) throw new DomainException("Give your name for the new account.");
            if (name.Length > MarketUser.MaxDisplayNameLength) throw new DomainException($"The name must be at most {MarketUser.MaxDisplayNameLength} characters.");
            if (string.IsNullOrEmpty(request.Account?.Password)) throw new DomainException("Choose a password for the new account.");
            var email = Market.Domain.Catalog.EmailAddresses.Normalise(request.Email) ?? throw new DomainException("Give an e-mail address we can verify.");
            user = new MarketUser { UserName = email, Email = email, DisplayName = name };
            var created = await users.CreateAsync(user, request.Account.Password);
            if (!created.Succeeded) throw new DomainException(string.Join(" ", created.Errors.Select(e => e.Description)));
        }
        var registrant = Registrant.Apply(user.Id, request.LegalName, request.Email, request.Organisation, request.Statement, request.EvidenceUrl, now);
        db.Registrants.Add(registrant);
        db.Audit(clock, user.Id, "registrant.applied", AuditSubject.Registrant, registrant.Id, null,
            $"{registrant.LegalName}{(registrant.Organisation is null ? "" : $" ({registrant.Organisation})")} <{registrant.Email}> applied to the registry.");
        if (user.EmailConfirmed && string.Equals(user.Email, registrant.Email, StringComparison.OrdinalIgnoreCase))
        {
            registrant.VerifyEmail(user.Email!, now);
            db.Audit(clock, user.Id, "registrant.verified", AuditSubject.Registrant, registrant.Id, null, "The account's confirmed e-mail address is the application's.");
        }
        else
        {
            var link = site.Absolute($"/Registry/Verify?token={RegistryVerification.Sign(protection, registrant.Id, registrant.Email, now)}");
            notifier.Email(registrant.Email, registrant.LegalName, "Verify your e-mail address for the protected-works registry",
                $"You applied to register works in the marketplace's protected-works registry as {registrant.LegalName}. " +
                $"Open this link, signed in or not, to verify that this address is yours (it works for {RegistryVerification.Lifetime.Days} days):\n\n{link}\n\n" +
                "A moderator then checks your application. If you did not apply, ignore this message.");
        }
        return (registrant, user);
    }
}

public sealed record VerifyRegistrantEmail(string? Token) : ICommand<Registrant>;

internal sealed class VerifyRegistrantEmailHandler(MarketDb db, IDataProtectionProvider protection, TimeProvider clock) : IRequestHandler<VerifyRegistrantEmail, Registrant>
{
    public async Task<Registrant> Handle(VerifyRegistrantEmail request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var (id, email) = RegistryVerification.Check(protection, request.Token, now)
                          ?? throw new DomainException("This link is not valid or has expired. Apply again from the registry page, or ask for a new link.");
        var registrant = await db.Registrants.FirstOrDefaultAsync(r => r.Id == id, ct)
                         ?? throw new DomainException("This link is not valid or has expired. Apply again from the registry page, or ask for a new link.");
        if (registrant.EmailVerified) return registrant;
        registrant.VerifyEmail(email, now);
        db.Audit(clock, registrant.UserId, "registrant.verified", AuditSubject.Registrant, registrant.Id, null, $"Opened the link sent to {email}.");
        return registrant;
    }
}

/// <summary>A moderator approves or refuses an application, after the e-mail check.</summary>
public sealed record DecideRegistrant(Guid RegistrantId, string ModeratorId, bool Approve, string? Note) : ICommand<Registrant>;

internal sealed class DecideRegistrantHandler(MarketDb db, Notifier notifier, TimeProvider clock) : IRequestHandler<DecideRegistrant, Registrant>
{
    public async Task<Registrant> Handle(DecideRegistrant request, CancellationToken ct)
    {
        var registrant = await db.Registrants.FirstOrDefaultAsync(r => r.Id == request.RegistrantId, ct)
                         ?? throw new DomainException("There is no such application.");
        if (request.Approve) registrant.Approve(request.ModeratorId, request.Note, clock.GetUtcNow());
        else registrant.Refuse(request.ModeratorId, request.Note, clock.GetUtcNow());
        db.Audit(clock, request.ModeratorId, request.Approve ? "registrant.approved" : "registrant.refused", AuditSubject.Registrant, registrant.Id, null,
            $"{registrant.LegalName} <{registrant.Email}>{(registrant.DecisionNote is null ? "" : $": {registrant.DecisionNote}")}");
        await notifier.NotifyAsync(registrant.UserId, NotificationKind.RegistrantDecided,
            request.Approve ? "You can now register works in the protected-works registry" : "Your application to the protected-works registry was refused",
            request.Approve
                ? "A moderator checked your application. Register your works by upload, or by their hashes alone so the images never leave your hands."
                : $"A moderator refused your application: {registrant.DecisionNote}",
            "/Registry", ct);
        return registrant;
    }
}

/// <summary>The caller's registrant, for every registry command: by account, never by an id from the request.</summary>
internal static class Registrants
{
    public static async Task<Registrant> OfAsync(MarketDb db, string userId, CancellationToken ct) =>
        await db.Registrants.FirstOrDefaultAsync(r => r.UserId == userId, ct)
        ?? throw new DomainException("Apply to the registry first.");
}

/// <summary>An approved registrant registers an image they uploaded; the page has hashed it and stored its private preview.</summary>
/// <param name="Fingerprint">The image's detection fingerprint (<see cref="FingerprintCodec"/>), made by the same pipeline as the upload scan.</param>
public sealed record RegisterUploadedWork(string UserId, string? Label, string Sha256, string PerceptualHash, string ImageKey, byte[] Fingerprint) : ICommand<Guid>;

internal sealed class RegisterUploadedWorkHandler(MarketDb db, TimeProvider clock) : IRequestHandler<RegisterUploadedWork, Guid>
{
    public async Task<Guid> Handle(RegisterUploadedWork request, CancellationToken ct)
    {
        var registrant = await Registrants.OfAsync(db, request.UserId, ct);
        var entry = ProtectedWork.Register(registrant, request.Label, ProtectedWorkSource.Upload, request.PerceptualHash, null, request.Sha256, request.ImageKey, clock.GetUtcNow());
        db.ProtectedWorks.Add(entry);
        db.Fingerprints.Add(new StoredFingerprint(MatchTarget.ProtectedWork, entry.Id, request.Fingerprint, clock.GetUtcNow()));
        db.Audit(clock, request.UserId, "entry.registered", AuditSubject.ProtectedWork, entry.Id, null, $"“{entry.Label}” registered by upload (SHA-256 {entry.Sha256}).");
        return entry.Id;
    }
}

/// <summary>Every bad line of a hash-only registration, by number; nothing was registered.</summary>
public sealed class HashLinesException(IReadOnlyList<HashLineError> errors)
    : DomainException($"Nothing was registered: {errors.Count} line{(errors.Count == 1 ? "" : "s")} need{(errors.Count == 1 ? "s" : "")} fixing.")
{
    public IReadOnlyList<HashLineError> Errors { get; } = errors;
}

public sealed record RegisterHashes(string UserId, string? Lines) : ICommand<int>;

internal sealed class RegisterHashesHandler(MarketDb db, TimeProvider clock) : IRequestHandler<RegisterHashes, int>
{
    public async Task<int> Handle(RegisterHashes request, CancellationToken ct)
    {
        var registrant = await Registrants.OfAsync(db, request.UserId, ct);
        registrant.EnsureCanRegister();
        var (lines, errors) = ProtectedWorkHashLines.Parse(request.Lines);
        if (errors.Count > 0) throw new HashLinesException(errors);
        var now = clock.GetUtcNow();
        foreach (var line in lines)
        {
            var entry = ProtectedWork.Register(registrant, line.Label, ProtectedWorkSource.Hashes, line.HashHex, line.Quality, null, null, now);
            db.ProtectedWorks.Add(entry);
            // No pixels leave the holder's hands, so the entry matches on its hash alone. A hash given without a
            // quality is taken as usable: the holder vouches for it, and the hash lines refuse stated qualities below 50.
            db.Fingerprints.Add(new StoredFingerprint(MatchTarget.ProtectedWork, entry.Id,
                FingerprintCodec.Encode(ImageFingerprint.OfHash(PdqHash.Parse(line.HashHex), line.Quality ?? 100)), now));
            db.Audit(clock, request.UserId, "entry.registered", AuditSubject.ProtectedWork, entry.Id, null,
                $"“{entry.Label}” registered by hash only: {entry.PerceptualHash} (quality {entry.Quality?.ToString() ?? "not given"}).");
        }
        return lines.Count;
    }
}

public sealed record RemoveProtectedWork(string UserId, Guid EntryId) : ICommand<string>;

internal sealed class RemoveProtectedWorkHandler(MarketDb db, TimeProvider clock) : IRequestHandler<RemoveProtectedWork, string>
{
    public async Task<string> Handle(RemoveProtectedWork request, CancellationToken ct)
    {
        var registrant = await Registrants.OfAsync(db, request.UserId, ct);
        // Scoped by the caller's registrant: another registrant's entry id reads as no entry at all.
        var entry = await db.ProtectedWorks.FirstOrDefaultAsync(p => p.Id == request.EntryId && p.RegistrantId == registrant.Id, ct)
                    ?? throw new DomainException("There is no such entry in your registry.");
        entry.Remove(registrant, clock.GetUtcNow());
        db.Audit(clock, request.UserId, "entry.removed", AuditSubject.ProtectedWork, entry.Id, null, $"“{entry.Label}” removed by its registrant.");
        return entry.Label;
    }
}
