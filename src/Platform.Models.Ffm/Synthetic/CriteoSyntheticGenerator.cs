using System.Buffers.Text;

namespace Platform.Models.Ffm.Synthetic;

/// <summary>
/// Writes Criteo-shaped libffm text: every row has one non-zero <c>f:j:1</c> per field. Labels
/// come from a hidden per-feature effect, so a model can learn something, with about 25% positives.
/// </summary>
public static class CriteoSyntheticGenerator
{
    /// <summary>Writes <see cref="SyntheticDataOptions.Rows"/> rows to <paramref name="path"/>.</summary>
    public static async Task WriteFileAsync(string path, SyntheticDataOptions options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
        await WriteAsync(stream, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the rows to a stream.</summary>
    public static async Task WriteAsync(Stream stream, SyntheticDataOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var random = new System.Random(options.Seed);
        var sliceSize = options.Features / options.Fields;
        var zipf = options.Distribution == SyntheticIdDistribution.Zipf ? ZipfCumulative(sliceSize, options.ZipfExponent) : null;
        var buffer = new byte[1 << 20];
        var length = 0;
        var features = new int[options.Fields];

        for (var row = 0; row < options.Rows; row++)
        {
            double margin = -1.6;
            for (var field = 0; field < options.Fields; field++)
            {
                var feature = zipf is null
                    ? random.Next(options.Features)
                    : (field * sliceSize) + DrawRank(zipf, random.NextDouble());
                features[field] = feature;
                margin += Effect(feature);
            }

            var positive = random.NextDouble() < 1 / (1 + Math.Exp(-margin));

            // A row is at most 2 + 39 * 23 bytes; flush when the next one might not fit.
            if (buffer.Length - length < 16 + (options.Fields * 24))
            {
                await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                length = 0;
            }

            buffer[length++] = positive ? (byte)'1' : (byte)'0';
            for (var field = 0; field < options.Fields; field++)
            {
                buffer[length++] = (byte)' ';
                Utf8Formatter.TryFormat(field, buffer.AsSpan(length), out var written);
                length += written;
                buffer[length++] = (byte)':';
                Utf8Formatter.TryFormat(features[field], buffer.AsSpan(length), out written);
                length += written;
                buffer[length++] = (byte)':';
                buffer[length++] = (byte)'1';
            }

            buffer[length++] = (byte)'\n';
        }

        await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cumulative probabilities of ranks 1..size under Zipf(s), for sampling by binary search.</summary>
    private static double[] ZipfCumulative(int size, double exponent)
    {
        var cumulative = new double[size];
        double total = 0;
        for (var rank = 0; rank < size; rank++)
        {
            total += 1 / Math.Pow(rank + 1, exponent);
            cumulative[rank] = total;
        }

        for (var rank = 0; rank < size; rank++)
        {
            cumulative[rank] /= total;
        }

        return cumulative;
    }

    private static int DrawRank(double[] cumulative, double u)
    {
        var index = Array.BinarySearch(cumulative, u);
        return Math.Min(index >= 0 ? index : ~index, cumulative.Length - 1);
    }

    /// <summary>A fixed pseudo-random effect in [-0.5, 0.5) per feature id (a 32-bit integer hash).</summary>
    private static double Effect(int feature)
    {
        var x = (uint)feature * 0x9E3779B1u;
        x ^= x >> 15;
        x *= 0x85EBCA77u;
        x ^= x >> 13;
        return ((x & 0xFFFF) / 65536.0) - 0.5;
    }
}
