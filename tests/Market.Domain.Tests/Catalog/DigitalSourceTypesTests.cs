using Market.Domain.Catalog;

namespace Market.Domain.Tests.Catalog;

public class DigitalSourceTypesTests
{
    // Normalise

    [Theory]
    [InlineData("trainedAlgorithmicMedia")]
    [InlineData("  trainedAlgorithmicMedia  ")]
    [InlineData("TRAINEDALGORITHMICMEDIA")]
    [InlineData("digsrctype:trainedAlgorithmicMedia")]
    [InlineData("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia")]
    [InlineData("https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia")]
    [InlineData("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia/")]
    [InlineData("HTTP://CV.IPTC.ORG/newscodes/digitalsourcetype/trainedAlgorithmicMedia")]
    [InlineData("http://cv.iptc.org/newscodes/digitalsourcetype/trainedalgorithmicmedia")]
    public void A_term_its_qcode_and_its_uri_all_normalise_to_the_iptc_term(string value) =>
        DigitalSourceTypes.Normalise(value).ShouldBe("trainedAlgorithmicMedia");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("http://cv.iptc.org/newscodes/digitalsourcetype/")]
    [InlineData("digsrctype:")]
    public void Nothing_to_say_normalises_to_null(string? value) =>
        DigitalSourceTypes.Normalise(value).ShouldBeNull();

    [Fact]
    public void An_unknown_term_of_the_scheme_is_kept_as_written() =>
        DigitalSourceTypes.Normalise("https://cv.iptc.org/newscodes/digitalsourcetype/someFutureTerm/").ShouldBe("someFutureTerm");

    [Theory]
    [InlineData("http://example.com/newscodes/digitalsourcetype/trainedAlgorithmicMedia")]
    [InlineData("http://cv.iptc.org/newscodes/mediatopic/trainedAlgorithmicMedia")]
    [InlineData("ftp://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia")]
    public void A_uri_outside_the_iptc_scheme_is_not_taken_for_an_iptc_term(string value)
    {
        DigitalSourceTypes.Normalise(value).ShouldBe(value);
        DigitalSourceTypes.IsAiGenerated(value).ShouldBeFalse();
    }

    // IsAiGenerated

    [Theory]
    [InlineData("trainedAlgorithmicMedia")]
    [InlineData("compositeWithTrainedAlgorithmicMedia")]
    [InlineData("compositeSynthetic")]
    [InlineData("http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia")]
    public void Terms_that_declare_generative_ai_are_ai_generated(string value) =>
        DigitalSourceTypes.IsAiGenerated(value).ShouldBeTrue();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("digitalCapture")]
    [InlineData("computationalCapture")]
    [InlineData("negativeFilm")]
    [InlineData("humanEdits")]
    [InlineData("algorithmicallyEnhanced")]
    [InlineData("algorithmicMedia")]
    [InlineData("softwareImage")]
    [InlineData("digitalCreation")]
    [InlineData("dataDrivenMedia")]
    [InlineData("screenCapture")]
    [InlineData("compositeCapture")]
    [InlineData("someFutureTerm")]
    public void Other_terms_are_not_ai_generated(string? value) =>
        DigitalSourceTypes.IsAiGenerated(value).ShouldBeFalse();

    // Describe

    [Theory]
    [InlineData("trainedAlgorithmicMedia", "Created by generative AI")]
    [InlineData("http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture", "Digital capture of a real scene")]
    [InlineData("compositeWithTrainedAlgorithmicMedia", "Composite including elements made by generative AI")]
    [InlineData("negativeFilm", "Scanned from a film negative")]
    public void Known_terms_are_described_in_plain_words(string value, string label) =>
        DigitalSourceTypes.Describe(value).ShouldBe(label);

    [Fact]
    public void An_unknown_term_is_described_as_unrecognised_with_its_value() =>
        DigitalSourceTypes.Describe("someFutureTerm").ShouldBe("Unrecognised source type: someFutureTerm");

    [Fact]
    public void No_source_type_has_no_description() =>
        DigitalSourceTypes.Describe("  ").ShouldBeNull();
}
