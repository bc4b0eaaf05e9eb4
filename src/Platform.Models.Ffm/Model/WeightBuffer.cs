using System.Runtime.InteropServices;

namespace Platform.Models.Ffm.Model;

/// <summary>
/// Native memory for a model's weights, aligned to 2 MiB. On Linux it is marked with
/// <c>madvise(MADV_HUGEPAGE)</c> before first use, so that transparent huge pages back it where the
/// kernel allows them ("madvise" or "always" mode); random access into a model of hundreds of
/// megabytes then misses the TLB far less often.
/// </summary>
internal sealed unsafe partial class WeightBuffer : IDisposable
{
    private const nuint HugePageSize = 2 * 1024 * 1024;
    private const int MadviseHugePage = 14;
    private float* _pointer;

    public WeightBuffer(int length)
    {
        Length = length;
        var bytes = (nuint)Math.Max(1, length) * sizeof(float);
        var rounded = (bytes + HugePageSize - 1) / HugePageSize * HugePageSize;
        _pointer = (float*)NativeMemory.AlignedAlloc(rounded, HugePageSize);
        if (OperatingSystem.IsLinux())
        {
            // Only advice: a failure leaves ordinary pages, which are correct, just slower.
            _ = Madvise(_pointer, rounded, MadviseHugePage);
        }

        GC.AddMemoryPressure((long)rounded);
        ByteSize = (long)rounded;
    }

    ~WeightBuffer() => Free();

    public int Length { get; }

    public long ByteSize { get; }

    public float* Pointer => _pointer != null ? _pointer : throw new ObjectDisposedException(nameof(FfmModel));

    public Span<float> Span => new(Pointer, Length);

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_pointer != null)
        {
            NativeMemory.AlignedFree(_pointer);
            _pointer = null;
            GC.RemoveMemoryPressure(ByteSize);
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
