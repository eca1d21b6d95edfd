using System.Reflection;

namespace Market.Architecture.Tests;

/// <summary>
/// The dependency rules, as pure functions over an assembly's name and the names of the assemblies it
/// references directly. Kept free of the real assemblies so tests can prove each rule also says no.
/// </summary>
public static class DependencyRules
{
    public const string Domain = "Market.Domain";
    public const string Billing = "Market.Billing";
    public const string Stripe = "Stripe.net";

    /// <summary>Name prefixes Market.Domain must not reference: frameworks, drivers, payments and our outer projects.</summary>
    public static IReadOnlyList<string> ForbiddenInDomain { get; } =
    [
        "Microsoft.AspNetCore",
        "Microsoft.EntityFrameworkCore",
        Stripe,
        "Npgsql",
        "Marten",
        "Market.Web",
        Billing,
    ];

    public static IReadOnlyList<string> Violations(Assembly assembly) =>
        Violations(assembly.GetName().Name!, ReferencedNames(assembly));

    public static IReadOnlyList<string> ReferencedNames(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

    /// <summary>Every rule that applies to <paramref name="assemblyName"/>, one message per broken rule and reference.</summary>
    public static IReadOnlyList<string> Violations(string assemblyName, IEnumerable<string> referencedNames)
    {
        var referenced = referencedNames.ToList();
        var violations = new List<string>();
        if (Is(assemblyName, Domain))
            violations.AddRange(DomainViolations(referenced).Select(r => $"{assemblyName} references {r}; the domain must stay free of it."));
        violations.AddRange(StripeViolations(assemblyName, referenced).Select(r => $"{assemblyName} references {r}; only {Billing} may."));
        return violations;
    }

    /// <summary>The references that would break the domain rule, whichever assembly holds them.</summary>
    public static IReadOnlyList<string> DomainViolations(IEnumerable<string> referencedNames) =>
        referencedNames.Where(r => ForbiddenInDomain.Any(prefix => Matches(r, prefix))).ToList();

    public static IReadOnlyList<string> StripeViolations(string assemblyName, IEnumerable<string> referencedNames) =>
        IsOurs(assemblyName) && !Is(assemblyName, Billing)
            ? referencedNames.Where(r => Matches(r, Stripe)).ToList()
            : [];

    // Test projects are left out: Market.Billing.Tests references Stripe.net to drive a fake Stripe server.
    private static bool IsOurs(string assemblyName) =>
        assemblyName.StartsWith("Market.", StringComparison.OrdinalIgnoreCase)
        && !assemblyName.EndsWith(".Tests", StringComparison.OrdinalIgnoreCase);

    // Assembly names compare case-insensitively; a prefix matches whole dotted segments only.
    private static bool Matches(string name, string prefix) =>
        Is(name, prefix) || name.StartsWith(prefix + ".", StringComparison.OrdinalIgnoreCase);

    private static bool Is(string name, string other) => string.Equals(name, other, StringComparison.OrdinalIgnoreCase);
}
