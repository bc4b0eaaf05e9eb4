namespace Platform.Models.Ffm.Data;

/// <summary>
/// Parses libffm text (<c>label field:feature:value ...</c>, one instance per line, ids from 0)
/// into an <see cref="FfmProblem"/>. Large inputs are split at line boundaries and parsed by
/// several threads; a token never allocates unless it is reported in an error.
/// </summary>
public static class FfmTextParser
{
    /// <summary>Reads and parses a file. Raises <see cref="FfmFormatException"/> for invalid or empty input.</summary>
    public static async Task<FfmProblem> ParseFileAsync(string path, FfmParseOptions? options, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        // NOTE: the whole file is read into one array, so inputs are limited to about 2 GB.
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(bytes, Path.GetFileName(path), options);
    }

    /// <summary>Parses text already in memory; <paramref name="source"/> names the input in error messages.</summary>
    public static FfmProblem Parse(ReadOnlyMemory<byte> text, string source, FfmParseOptions? options = null)
    {
        options ??= new FfmParseOptions();
        var slices = SplitAtLines(text, SliceCount(text.Length, options));
        var parsers = new FfmTextChunkParser[slices.Count];

        if (slices.Count <= 1)
        {
            // Small inputs such as prediction requests: parsing on the calling thread avoids
            // Parallel.For's task and thread-pool work, which costs more than the parsing itself.
            for (var i = 0; i < slices.Count; i++)
            {
                parsers[i] = ParseSlice(slices[i]);
            }
        }
        else
        {
            Parallel.For(0, slices.Count, new ParallelOptions { MaxDegreeOfParallelism = slices.Count }, i => parsers[i] = ParseSlice(slices[i]));
        }

        ThrowFirstError(parsers, source);
        return Merge(parsers, source);
    }

    private static FfmTextChunkParser ParseSlice(ReadOnlyMemory<byte> slice)
    {
        var parser = new FfmTextChunkParser(slice.Length);
        parser.Parse(slice.Span);
        return parser;
    }

    /// <summary>Parses a string, for example the body of a prediction request.</summary>
    public static FfmProblem Parse(string text, string source) =>
        Parse(System.Text.Encoding.UTF8.GetBytes(text), source, new FfmParseOptions { DegreeOfParallelism = 1 });

    private static int SliceCount(int length, FfmParseOptions options)
    {
        var threads = options.DegreeOfParallelism > 0 ? options.DegreeOfParallelism : Environment.ProcessorCount;
        var bySize = (length / Math.Max(1, options.MinBytesPerThread)) + 1;
        return Math.Max(1, Math.Min(threads, bySize));
    }

    private static List<ReadOnlyMemory<byte>> SplitAtLines(ReadOnlyMemory<byte> text, int sliceCount)
    {
        var slices = new List<ReadOnlyMemory<byte>>(sliceCount);
        var start = 0;
        for (var i = 1; i <= sliceCount && start < text.Length; i++)
        {
            var end = i == sliceCount ? text.Length : (int)((long)text.Length * i / sliceCount);
            if (end < start)
            {
                continue;
            }

            if (end < text.Length)
            {
                var newLine = text.Span[end..].IndexOf((byte)'\n');
                end = newLine < 0 ? text.Length : end + newLine + 1;
            }

            slices.Add(text[start..end]);
            start = end;
        }

        return slices;
    }

    private static void ThrowFirstError(FfmTextChunkParser[] parsers, string source)
    {
        long linesBefore = 0;
        foreach (var parser in parsers)
        {
            if (parser.Error is { } error)
            {
                throw new FfmFormatException(source, linesBefore + error.Line, error.Token, error.Message);
            }

            linesBefore += parser.LineCount;
        }
    }

    private static FfmProblem Merge(FfmTextChunkParser[] parsers, string source)
    {
        long rows = 0;
        long nodes = 0;
        var maxField = -1;
        var maxFeature = -1;
        foreach (var parser in parsers)
        {
            rows += parser.Labels.Count;
            nodes += parser.Nodes.Count;
            maxField = Math.Max(maxField, parser.MaxField);
            maxFeature = Math.Max(maxFeature, parser.MaxFeature);
        }

        if (rows == 0)
        {
            throw new FfmFormatException(source, 0, null, "the input contains no rows; expected lines such as '1 0:12:1 1:7:1'.");
        }

        if (nodes > Array.MaxLength || rows >= Array.MaxLength)
        {
            throw new FfmFormatException(source, 0, null, $"the input has {rows} rows and {nodes} non-zeros, more than one array can hold ({Array.MaxLength}); split the file.");
        }

        var labels = new float[rows];
        var scales = new float[rows];
        var offsets = new long[rows + 1];
        var allNodes = GC.AllocateUninitializedArray<FfmNode>((int)nodes);
        var row = 0;
        long node = 0;
        foreach (var parser in parsers)
        {
            parser.Labels.AsSpan().CopyTo(labels.AsSpan(row));
            parser.Scales.AsSpan().CopyTo(scales.AsSpan(row));
            parser.Nodes.AsSpan().CopyTo(allNodes.AsSpan((int)node));
            foreach (var length in parser.RowLengths.AsSpan())
            {
                offsets[row] = node;
                node += length;
                row++;
            }
        }

        offsets[row] = node;
        return new FfmProblem(labels, scales, offsets, allNodes, maxField + 1, maxFeature + 1);
    }
}
