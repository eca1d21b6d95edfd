namespace Market.Domain.Catalog;

/// <summary>What kind of work it is; buyers filter the catalog by it.</summary>
public enum WorkMedium
{
    Unspecified = 0,
    Photograph = 1,
    Illustration = 2,
    Painting = 3,
    Drawing = 4,
    DigitalArt = 5,
    Mixed = 6,
}
