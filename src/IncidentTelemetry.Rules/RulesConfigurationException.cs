namespace IncidentTelemetry.Rules;

/// <summary>A rules configuration is invalid; <see cref="Key"/> names the offending setting.</summary>
public sealed class RulesConfigurationException : Exception
{
    /// <summary>Creates the exception for <paramref name="key"/>.</summary>
    /// <param name="key">The dotted path of the setting, for example <c>services.payment-service.thresholds.poolUtilisationWarning</c>.</param>
    /// <param name="message">What is wrong with it.</param>
    public RulesConfigurationException(string key, string message)
        : base($"{key}: {message}")
    {
        this.Key = key;
    }

    /// <summary>Creates the exception without a key.</summary>
    public RulesConfigurationException()
        : this("(configuration)", "invalid")
    {
    }

    /// <summary>Creates the exception without a key.</summary>
    /// <param name="message">What is wrong.</param>
    public RulesConfigurationException(string message)
        : this("(configuration)", message)
    {
    }

    /// <summary>Creates the exception without a key.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public RulesConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        this.Key = "(configuration)";
    }

    /// <summary>The dotted path of the invalid setting.</summary>
    public string Key { get; }
}
