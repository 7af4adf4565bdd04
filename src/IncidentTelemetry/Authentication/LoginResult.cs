namespace IncidentTelemetry;

/// <summary>
/// The outcome of one login attempt: the bounded values of <c>incident.login.result</c>. The first five are the values
/// ASP.NET Core Identity uses for <c>aspnetcore.identity.sign_in.result</c>, so that rules can add both counters.
/// </summary>
public enum LoginResult
{
    /// <summary><c>success</c>: the user is signed in.</summary>
    Success,

    /// <summary><c>failure</c>: wrong credentials or unknown user.</summary>
    Failure,

    /// <summary><c>locked_out</c>: the account is locked (too many failures).</summary>
    LockedOut,

    /// <summary><c>requires_two_factor</c>: the password was right and a second factor is now asked for.</summary>
    RequiresTwoFactor,

    /// <summary><c>not_allowed</c>: the credentials were right but the account may not sign in (for example, unconfirmed).</summary>
    NotAllowed,

    /// <summary><c>error</c>: the login endpoint itself failed (an exception or a 5xx answer).</summary>
    Error,
}
