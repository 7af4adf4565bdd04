using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry.Authentication;

/// <summary>
/// The endpoint filter behind <c>WithLoginTelemetry(...)</c>: runs the login handler, maps its answer to a
/// <see cref="LoginResult"/> and counts it, unless ASP.NET Core Identity counted the same attempt while the handler ran.
/// It reads nothing from the request: no user name, email, address or id can reach a label.
/// </summary>
internal sealed class LoginTelemetryFilter(string method) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var telemetry = context.HttpContext.RequestServices.GetService<ILoginTelemetry>();
        if (telemetry is null)
        {
            // AddIncidentTelemetry() was not called: the endpoint works as if the filter were not there.
            return await next(context);
        }

        // Only the library's own owner can tell that Identity counted the attempt; an app's own ILoginTelemetry counts every one.
        var owner = telemetry as LoginMetrics;
        var scope = owner?.BeginScope();
        object? result;
        try
        {
            result = await next(context);
        }
        catch
        {
            if (scope is not { CountedByIdentity: true })
            {
                telemetry.RecordAttempt(LoginResult.Error, method);
            }

            throw;
        }
        finally
        {
            owner?.EndScope();
        }

        if (scope is not { CountedByIdentity: true } && Classify(StatusCodeOf(result, context.HttpContext)) is { } outcome)
        {
            telemetry.RecordAttempt(outcome, method);
        }

        return result;
    }

    /// <summary>
    /// 2xx and 3xx: success; 403: not_allowed; 423 (Locked) and 429 (Too Many Requests): locked_out; other 4xx: failure;
    /// 5xx: error; anything else is not a finished attempt.
    /// </summary>
    internal static LoginResult? Classify(int statusCode) => statusCode switch
    {
        >= 200 and < 400 => LoginResult.Success,
        StatusCodes.Status403Forbidden => LoginResult.NotAllowed,
        StatusCodes.Status423Locked or StatusCodes.Status429TooManyRequests => LoginResult.LockedOut,
        >= 400 and < 500 => LoginResult.Failure,
        >= 500 and < 600 => LoginResult.Error,
        _ => null,
    };

    private static int StatusCodeOf(object? result, HttpContext context) => result switch
    {
        IStatusCodeHttpResult { StatusCode: { } code } => code,
        _ => context.Response.StatusCode,
    };
}
