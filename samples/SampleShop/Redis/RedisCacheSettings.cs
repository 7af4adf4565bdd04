using System.Globalization;
using StackExchange.Redis;

namespace SampleShop.Redis;

/// <summary>Where the session store lives: one node, or a primary found through Sentinels.</summary>
internal sealed class RedisCacheSettings
{
    /// <summary>A Redis node, host:port. Used when no Sentinel is given.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Sentinels, host:port, comma separated; the primary is asked for by <see cref="MasterName"/>.</summary>
    public string? Sentinels { get; set; }

    /// <summary>The Sentinel master name (StackExchange.Redis' <c>serviceName</c>). Default: <c>sessions</c>.</summary>
    public string MasterName { get; set; } = "sessions";

    /// <summary>How long one command, or one connect, may take. Default: 2 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The StackExchange.Redis configuration: through the Sentinels with <c>serviceName</c> when given, else the
    /// one node; <c>abortConnect=false</c> so that a Redis that is down does not stop the service.
    /// </summary>
    public ConfigurationOptions ToConfiguration()
    {
        var milliseconds = (int)this.Timeout.TotalMilliseconds;
        var text = string.IsNullOrEmpty(this.Sentinels)
            ? this.Endpoint ?? throw new InvalidOperationException("Shop:Redis needs Endpoint or Sentinels.")
            : $"{this.Sentinels},serviceName={this.MasterName}";
        var options = ConfigurationOptions.Parse(text);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = milliseconds;
        options.SyncTimeout = milliseconds;
        options.AsyncTimeout = milliseconds;
        options.ClientName = "sampleshop-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        return options;
    }
}
