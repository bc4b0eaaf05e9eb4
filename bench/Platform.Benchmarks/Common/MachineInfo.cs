using System.Runtime.InteropServices;

namespace Platform.Benchmarks;

/// <summary>Description of the machine a benchmark ran on, for the results page.</summary>
internal sealed record MachineInfo(int ProcessorCount, string CpuModel, string OperatingSystem, string Runtime)
{
    public static MachineInfo Current()
    {
        var cpuModel = "unknown";
        const string cpuInfo = "/proc/cpuinfo";
        if (File.Exists(cpuInfo))
        {
            var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null && line.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
            {
                cpuModel = line[(colon + 1)..].Trim();
            }
        }

        return new MachineInfo(Environment.ProcessorCount, cpuModel, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription);
    }

    public override string ToString() => $"{ProcessorCount} CPUs (nproc), {CpuModel}, {OperatingSystem}, {Runtime}";

    /// <summary>Returns the 1-minute load average from /proc/loadavg, or null where it is missing.</summary>
    public static double? ReadLoadAverage()
    {
        const string loadAverage = "/proc/loadavg";
        if (!File.Exists(loadAverage))
        {
            return null;
        }

        var first = File.ReadAllText(loadAverage).Split(' ')[0];
        return double.TryParse(first, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
