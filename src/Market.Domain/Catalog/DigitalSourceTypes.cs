namespace Market.Domain.Catalog;

public static class DigitalSourceTypes
{
    public static bool IsAiGenerated(string? value) =>
        value is not null && (value.Contains("trainedAlgorithmicMedia", StringComparison.OrdinalIgnoreCase)
                              || value.Contains("compositeSynthetic", StringComparison.OrdinalIgnoreCase)
                              || value.EndsWith("/algorithmicMedia", StringComparison.OrdinalIgnoreCase)
                              || value.Equals("algorithmicMedia", StringComparison.OrdinalIgnoreCase));
}
