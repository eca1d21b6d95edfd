namespace Market.Web.Imaging;

/// <summary>
/// A 5×7 pixel capital font with just the letters the preview mark uses, so the mark needs no installed fonts.
/// Each glyph is seven rows of five columns, '#' for ink.
/// </summary>
internal static class BitmapFont
{
    public const int GlyphWidth = 5;
    public const int GlyphHeight = 7;
    private const int Spacing = 1;

    private static readonly Dictionary<char, string[]> Glyphs = new()
    {
        [' '] = [".....", ".....", ".....", ".....", ".....", ".....", "....."],
        ['A'] = [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
        ['C'] = [".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."],
        ['E'] = ["#####", "#....", "#....", "####.", "#....", "#....", "#####"],
        ['I'] = [".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."],
        ['K'] = ["#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"],
        ['L'] = ["#....", "#....", "#....", "#....", "#....", "#....", "#####"],
        ['M'] = ["#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"],
        ['P'] = ["####.", "#...#", "#...#", "####.", "#....", "#....", "#...."],
        ['R'] = ["####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"],
        ['T'] = ["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."],
        ['V'] = ["#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."],
        ['W'] = ["#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."],
    };

    /// <summary>The text as a one-band mask, row-major, 255 for ink and 0 elsewhere, each font pixel <paramref name="scale"/>² image pixels.</summary>
    public static (byte[] Pixels, int Width, int Height) Render(string text, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        var width = ((GlyphWidth + Spacing) * text.Length - Spacing) * scale;
        var height = GlyphHeight * scale;
        var pixels = new byte[width * height];
        for (var i = 0; i < text.Length; i++)
        {
            if (!Glyphs.TryGetValue(text[i], out var rows))
                throw new ArgumentException($"The bitmap font has no glyph for '{text[i]}'.", nameof(text));
            var left = i * (GlyphWidth + Spacing) * scale;
            for (var row = 0; row < GlyphHeight; row++)
                for (var column = 0; column < GlyphWidth; column++)
                {
                    if (rows[row][column] != '#') continue;
                    for (var dy = 0; dy < scale; dy++)
                        Array.Fill(pixels, (byte)255, (row * scale + dy) * width + left + column * scale, scale);
                }
        }
        return (pixels, width, height);
    }
}
