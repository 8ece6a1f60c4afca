using Serving.Server.Configuration;

namespace Serving.Server.Hosting;

/// <summary>
/// Console logs on stdout, one line per event (JSON when asked), UTC timestamps. ASP.NET's per-request logs stay
/// off: they would cost more than an inference and could be made to echo request details.
/// </summary>
internal static class ServerLogging
{
    public static void Configure(ILoggingBuilder logging, ServerLogFormat format, IConfiguration levels)
    {
        logging.ClearProviders();
        if (format == ServerLogFormat.Json)
        {
            logging.AddJsonConsole(json =>
            {
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(simple =>
            {
                simple.SingleLine = true;
                simple.UseUtcTimestamp = true;
                simple.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Logging__LogLevel__<category> variables override the defaults above.
        logging.AddConfiguration(levels);
    }
}
