using System.Runtime.InteropServices;

namespace Platform.Models.Ffm.Kernels;

/// <summary>
/// One feature pair of an instance: the offsets of w[j1, f2] and w[j2, f1] in the weight buffer
/// and the pair's factor v1·v2·r.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct PairEntry(int Offset1, int Offset2, float Value);
