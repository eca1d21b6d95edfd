namespace Market.Domain.Catalog;

public enum WorkState
{
    /// <summary>Uploaded; the creator still has to opt in and make an offer.</summary>
    Draft = 0,
    /// <summary>Submitted; the detection job is hashing it and looking for duplicates.</summary>
    Scanning = 1,
    /// <summary>On sale in the catalog.</summary>
    Listed = 2,
    /// <summary>Refused by the scan (e.g. an exact copy of a listed work); see the rejection reason.</summary>
    Rejected = 3,
    /// <summary>Consent withdrawn: no new sales; licenses already sold run to their end.</summary>
    Withdrawn = 4,
    /// <summary>Taken down by a moderator (theft): off the market for good; licenses holding it are recalled.</summary>
    TakenDown = 5,
    /// <summary>Under an open ownership claim: out of the catalog and not for sale until a moderator decides; licenses already sold run on.</summary>
    Held = 7,
    /// <summary>The scan matched another account's work or a protected-registry entry: held, never listed, until a moderator decides its review cases.</summary>
    Quarantined = 6,
}
