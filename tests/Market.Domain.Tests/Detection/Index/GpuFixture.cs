using Market.Domain.Detection.Index;

namespace Market.Domain.Tests.Detection.Index;

/// <summary>One ILGPU context for the test class: CUDA where a GPU is present, else the CPU accelerator.</summary>
public sealed class GpuFixture : IDisposable
{
    public GpuMatcher Matcher { get; } = new();

    public void Dispose() => Matcher.Dispose();
}
