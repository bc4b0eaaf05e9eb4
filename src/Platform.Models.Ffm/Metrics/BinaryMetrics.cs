namespace Platform.Models.Ffm.Metrics;

/// <summary>Logloss and ROC AUC for binary labels.</summary>
public static class BinaryMetrics
{
    /// <summary>
    /// Returns the exact area under the ROC curve: the Mann-Whitney statistic with tied scores
    /// counted as half, or NaN when one class is missing.
    /// </summary>
    public static double Auc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> positives)
    {
        if (scores.Length != positives.Length)
        {
            throw new ArgumentException($"Got {scores.Length} scores but {positives.Length} labels; they must pair up.", nameof(positives));
        }

        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = scores.ToArray();
        Array.Sort(keys, order);

        // Rank sum of the positives, giving each group of tied scores its average rank.
        double positiveRankSum = 0;
        long positiveCount = 0;
        var start = 0;
        while (start < keys.Length)
        {
            var end = start + 1;
            while (end < keys.Length && keys[end] == keys[start])
            {
                end++;
            }

            var averageRank = (start + end + 1) / 2.0;
            for (var i = start; i < end; i++)
            {
                if (positives[order[i]])
                {
                    positiveRankSum += averageRank;
                    positiveCount++;
                }
            }

            start = end;
        }

        var negativeCount = (long)keys.Length - positiveCount;
        if (positiveCount == 0 || negativeCount == 0)
        {
            return double.NaN;
        }

        return (positiveRankSum - (positiveCount * (positiveCount + 1) / 2.0)) / ((double)positiveCount * negativeCount);
    }

    /// <summary>Returns the mean logistic loss −[y·ln p + (1 − y)·ln(1 − p)] of probabilities, each clipped to [1e-15, 1 − 1e-15].</summary>
    public static double Logloss(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> positives)
    {
        if (probabilities.Length != positives.Length || probabilities.IsEmpty)
        {
            throw new ArgumentException($"Got {probabilities.Length} probabilities and {positives.Length} labels; they must pair up and not be empty.", nameof(positives));
        }

        double sum = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = Math.Clamp(probabilities[i], 1e-15, 1 - 1e-15);
            sum -= positives[i] ? Math.Log(p) : Math.Log(1 - p);
        }

        return sum / probabilities.Length;
    }
}
