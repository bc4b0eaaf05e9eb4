using System.Runtime.InteropServices;

namespace Platform.Models.Ffm.Data;

/// <summary>One non-zero of an instance: <c>field:feature:value</c>, with 0-based ids (libffm's <c>ffm_node</c>).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct FfmNode(int Field, int Feature, float Value);
