using System.Reflection;

namespace Market.Architecture.Tests;

public class DependencyRuleTests
{
    private static readonly Assembly DomainAssembly = typeof(Market.Domain.DomainException).Assembly;
    private static readonly Assembly BillingAssembly = typeof(Market.Billing.Ledger.LedgerStore).Assembly;
    private static readonly Assembly WebAssembly = typeof(Program).Assembly;

    [Fact]
    public void Market_Domain_references_nothing_it_must_not() =>
        DependencyRules.Violations(DomainAssembly).ShouldBeEmpty();

    [Fact]
    public void Market_Billing_breaks_no_dependency_rule() =>
        DependencyRules.Violations(BillingAssembly).ShouldBeEmpty();

    [Fact]
    public void Market_Web_breaks_no_dependency_rule() =>
        DependencyRules.Violations(WebAssembly).ShouldBeEmpty();

    [Fact]
    public void The_rules_are_checked_against_the_assemblies_they_name()
    {
        DomainAssembly.GetName().Name.ShouldBe(DependencyRules.Domain);
        BillingAssembly.GetName().Name.ShouldBe(DependencyRules.Billing);
        WebAssembly.GetName().Name.ShouldBe("Market.Web");
    }

    // Without this the Billing exemption could pass only because the compiler dropped the Stripe reference.
    [Fact]
    public void Market_Billing_really_references_Stripe_so_its_exemption_is_exercised() =>
        DependencyRules.ReferencedNames(BillingAssembly).ShouldContain(DependencyRules.Stripe);

    [Fact]
    public void The_domain_rule_applied_to_Market_Web_reports_ASP_NET_Core_and_EF_Core()
    {
        var offending = DependencyRules.DomainViolations(DependencyRules.ReferencedNames(WebAssembly));

        offending.ShouldContain(r => r.StartsWith("Microsoft.AspNetCore."));
        offending.ShouldContain(r => r.StartsWith("Microsoft.EntityFrameworkCore"));
        offending.ShouldContain(DependencyRules.Billing);
    }

    [Fact]
    public void A_domain_referencing_each_forbidden_kind_of_assembly_is_reported_once_per_reference()
    {
        string[] forbidden =
        [
            "Microsoft.AspNetCore.Http.Abstractions",
            "Microsoft.EntityFrameworkCore",
            "Microsoft.EntityFrameworkCore.Relational",
            "Npgsql",
            "Npgsql.EntityFrameworkCore.PostgreSQL",
            "Marten",
            "Market.Web",
            "Market.Billing",
        ];

        var violations = DependencyRules.Violations("Market.Domain", ["System.Runtime", .. forbidden, "System.Linq"]);

        violations.Count.ShouldBe(forbidden.Length);
        foreach (var name in forbidden)
            violations.ShouldContain(v => v.Contains($"references {name};"));
    }

    [Fact]
    public void A_domain_referencing_Stripe_breaks_both_rules()
    {
        var violations = DependencyRules.Violations("Market.Domain", ["System.Runtime", "Stripe.net"]);

        violations.Count.ShouldBe(2);
        violations.ShouldAllBe(v => v.Contains("references Stripe.net"));
    }

    [Fact]
    public void The_domain_may_reference_the_base_library_and_Microsoft_Extensions() =>
        DependencyRules.Violations("Market.Domain", ["System.Runtime", "System.Collections", "Microsoft.Extensions.Logging.Abstractions"])
            .ShouldBeEmpty();

    [Fact]
    public void Names_that_only_share_a_prefix_without_a_dot_are_not_forbidden() =>
        DependencyRules.DomainViolations(["Martenish", "NpgsqlLike", "Market.WebTools.Contracts"]).ShouldBeEmpty();

    [Fact]
    public void Assembly_names_are_compared_ignoring_case() =>
        DependencyRules.Violations("market.web", ["STRIPE.NET"]).ShouldHaveSingleItem();

    [Theory]
    [InlineData("Market.Web")]
    [InlineData("Market.Search")]
    public void An_assembly_of_ours_other_than_Billing_may_not_reference_Stripe(string assemblyName) =>
        DependencyRules.Violations(assemblyName, ["System.Runtime", "Market.Billing", "Stripe.net"])
            .ShouldBe([$"{assemblyName} references Stripe.net; only Market.Billing may."]);

    [Fact]
    public void Market_Billing_may_reference_Stripe() =>
        DependencyRules.Violations("Market.Billing", ["Marten", "Npgsql", "Stripe.net"]).ShouldBeEmpty();

    [Theory]
    [InlineData("Market.Billing.Tests")]
    [InlineData("Stripe.net.Extras")]
    public void Test_projects_and_assemblies_not_ours_are_outside_the_Stripe_rule(string assemblyName) =>
        DependencyRules.Violations(assemblyName, ["Stripe.net"]).ShouldBeEmpty();
}
