namespace IncidentTelemetry;

/// <summary>
/// Records login attempts of a custom login flow as <c>incident.login.attempts</c> (meter
/// <c>IncidentTelemetry.Authentication</c>). Registered by <c>AddIncidentTelemetry()</c>; inject it where the flow decides.
/// For minimal-API login endpoints, <c>WithLoginTelemetry(...)</c> does this without code in the handler.
/// </summary>
/// <remarks>
/// Attempts that ASP.NET Core Identity checks itself (<c>SignInManager.CheckPasswordSignInAsync</c> and the sign-ins
/// built on it) are already counted by Identity's <c>aspnetcore.identity.sign_in.check_password_attempts</c>: do not record
/// those here, or they are counted twice. Nothing about the user (name, email, address, id) is ever recorded.
/// </remarks>
public interface ILoginTelemetry
{
    /// <summary>Counts one attempt. Never throws.</summary>
    /// <param name="result">The outcome.</param>
    /// <param name="method">How the user logged in, a short constant such as <c>password</c>, <c>passkey</c> or <c>sso</c>
    /// (at most 64 characters among a-z, A-Z, 0-9, '-', '_' and '.'; at most 16 distinct methods). Anything else is counted as
    /// <c>_OTHER</c>.</param>
    void RecordAttempt(LoginResult result, string method);
}
