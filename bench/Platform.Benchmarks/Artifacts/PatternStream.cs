namespace Platform.Benchmarks.Artifacts;

/// <summary>
/// A read-only stream of <c>length</c> bytes that repeats one random 1 MiB block, so a 1 GiB upload needs
/// neither a 1 GiB file nor 1 GiB of memory. <see cref="Matches"/> checks downloaded bytes against it.
/// </summary>
internal sealed class PatternStream : Stream
{
    public const int BlockSize = 1024 * 1024;

    private readonly byte[] _block;
    private readonly long _length;
    private long _position;

    public PatternStream(long length, int seed)
    {
        _length = length;
        _block = new byte[BlockSize];
        new Random(seed).NextBytes(_block);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Returns whether <paramref name="data"/> equals the pattern starting at <paramref name="offset"/>.</summary>
    public bool Matches(long offset, ReadOnlySpan<byte> data)
    {
        var checkedBytes = 0;
        while (checkedBytes < data.Length)
        {
            var blockOffset = (int)((offset + checkedBytes) % BlockSize);
            var count = Math.Min(BlockSize - blockOffset, data.Length - checkedBytes);
            if (!data.Slice(checkedBytes, count).SequenceEqual(_block.AsSpan(blockOffset, count)))
            {
                return false;
            }

            checkedBytes += count;
        }

        return true;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var remaining = _length - _position;
        if (remaining <= 0)
        {
            return 0;
        }

        var blockOffset = (int)(_position % BlockSize);
        var count = (int)Math.Min(Math.Min(buffer.Length, BlockSize - blockOffset), remaining);
        _block.AsSpan(blockOffset, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
