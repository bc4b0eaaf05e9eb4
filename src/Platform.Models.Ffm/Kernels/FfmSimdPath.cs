using System.Runtime.Intrinsics;

namespace Platform.Models.Ffm.Kernels;

/// <summary>Which instruction width computes latent products.</summary>
public enum FfmSimdPath
{
    /// <summary>The widest accelerated path: Vector512, else Vector256, else scalar.</summary>
    Auto,

    /// <summary>Plain float arithmetic, one lane at a time.</summary>
    Scalar,

    /// <summary>256-bit vectors; runs in software emulation where AVX is missing.</summary>
    Vector256,

    /// <summary>512-bit vectors; runs in software emulation where AVX-512 is missing.</summary>
    Vector512,
}

/// <summary>Resolves <see cref="FfmSimdPath.Auto"/> for the current processor.</summary>
public static class FfmSimd
{
    /// <summary>Returns <paramref name="path"/>, or the widest accelerated path when it is <see cref="FfmSimdPath.Auto"/>.</summary>
    public static FfmSimdPath Resolve(FfmSimdPath path) => path switch
    {
        FfmSimdPath.Auto when Vector512.IsHardwareAccelerated => FfmSimdPath.Vector512,
        FfmSimdPath.Auto when Vector256.IsHardwareAccelerated => FfmSimdPath.Vector256,
        FfmSimdPath.Auto => FfmSimdPath.Scalar,
        _ => path,
    };
}
