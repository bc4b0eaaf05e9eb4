using System.Globalization;

namespace Platform.Cli;

/// <summary>Parses durations such as <c>30d</c>, <c>12h</c>, <c>90m</c> or <c>3600s</c>.</summary>
public static class Durations
{
    /// <summary>Returns the duration, or throws <see cref="CliException"/> naming the value and the accepted forms.</summary>
    public static TimeSpan Parse(string value, string optionName)
    {
        ArgumentNullException.ThrowIfNull(value);

        if (value.Length >= 2 &&
            long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) &&
            amount > 0)
        {
            TimeSpan? duration = value[^1] switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                's' => TimeSpan.FromSeconds(amount),
                _ => null,
            };
            if (duration is { } result)
            {
                return result;
            }
        }

        throw new CliException(
            $"Invalid {optionName} '{value}': use a positive whole number followed by d, h, m or s, for example 30d.",
            ExitCodes.InvalidArguments);
    }
}
