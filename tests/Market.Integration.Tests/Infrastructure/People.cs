using System.Net;
using Market.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Integration.Tests.Infrastructure;

/// <summary>Accounts made the way people make them: through the sign-up and sign-in pages.</summary>
public static class People
{
    public const string Password = "correct horse battery";

    public static async Task<WebSession> SignUpCreatorAsync(this IntegrationTestAccess test, string email, string name = "Test Creator")
    {
        var session = test.Session();
        var response = await session.SubmitAsync("/Identity/Account/Register", new Dictionary<string, string>
        {
            ["Kind"] = "Creator", ["DisplayName"] = name, ["Email"] = email, ["Password"] = Password,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return session;
    }

    public static async Task<WebSession> SignUpBuyerAsync(this IntegrationTestAccess test, string email, string organisation = "Test AI Lab")
    {
        var session = test.Session();
        var response = await session.SubmitAsync("/Identity/Account/Register", new Dictionary<string, string>
        {
            ["Kind"] = "Buyer", ["DisplayName"] = "Test Buyer", ["Email"] = email, ["Password"] = Password, ["OrganisationName"] = organisation,
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return session;
    }

    /// <summary>Creates a staff account (as an admin would) and returns its authenticator key, or null without 2FA.</summary>
    public static async Task<string?> CreateStaffAsync(this MarketAppFactory app, string email, string role, bool twoFactor = true)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MarketUser>>();
        var user = new MarketUser { UserName = email, Email = email, DisplayName = role + " person", EmailConfirmed = true };
        (await users.CreateAsync(user, Password)).Succeeded.ShouldBeTrue();
        (await users.AddToRoleAsync(user, role)).Succeeded.ShouldBeTrue();
        if (!twoFactor) return null;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return await users.GetAuthenticatorKeyAsync(user);
    }

    /// <summary>Signs in through the login page, and through the 2FA page when the account has a key.</summary>
    public static async Task<WebSession> SignInAsync(this IntegrationTestAccess test, string email, string? authenticatorKey = null)
    {
        var session = test.Session();
        var response = await session.SubmitAsync("/Identity/Account/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.Password"] = Password, ["Input.RememberMe"] = "false",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!.OriginalString;
        if (authenticatorKey is null) return session;

        location.ShouldContain("LoginWith2fa");
        response = await session.SubmitAsync(location, new Dictionary<string, string>
        {
            // Identity checks the code against the system clock, not the site's TimeProvider, so a test that moved
            // its clock forward must still use the real time here.
            ["Input.TwoFactorCode"] = Totp.Code(authenticatorKey, DateTimeOffset.UtcNow), ["Input.RememberMachine"] = "false",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        response.Headers.Location!.OriginalString.ShouldNotContain("LoginWith2fa");
        return session;
    }
}

/// <summary>What the account helpers need from a test.</summary>
public interface IntegrationTestAccess
{
    WebSession Session();
    DateTimeOffset Now();
}
