/// <summary>
/// The vocabulary of the generated catalog. Lists are ordered roughly from common to rare: words are drawn with a
/// Zipf-like skew, so the first words of a list appear in tens of thousands of works and the last ones in a few
/// hundred, as in a real catalog. <see cref="Rare"/> words appear in a few dozen works each, to measure a search
/// whose matches are few.
/// </summary>
internal static class CatalogWords
{
    public static readonly string[] Adjectives =
    [
        "quiet", "golden", "misty", "bright", "dark", "old", "lonely", "wild", "soft", "early", "late", "cold", "warm", "still", "hidden",
        "broken", "ancient", "silent", "distant", "empty", "small", "great", "endless", "narrow", "open", "frozen", "burning", "calm",
        "restless", "faded", "gentle", "hollow", "fragile", "heavy", "luminous", "crooked", "tangled", "sleeping", "rusty", "velvet",
        "shimmering", "weathered", "forgotten", "rising", "falling", "drifting", "blooming", "wandering", "glowing", "scattered",
        "twisted", "humble", "proud", "patient", "secret", "solemn", "tender", "vivid", "pale", "stormy", "sunlit", "moonlit", "dusty",
        "salted", "painted", "woven", "carved", "gilded", "crumbling", "sheltered", "windswept", "overgrown", "sunken", "floating",
        "abandoned", "curious", "playful", "mournful", "radiant", "brittle", "lush", "barren", "murky", "crystalline", "feathered",
        "ornate", "rugged", "serene", "somber", "wistful", "whimsical", "austere", "ethereal", "jagged", "opulent", "spectral",
    ];

    public static readonly string[] Colours =
    [
        "blue", "red", "green", "grey", "white", "black", "amber", "violet", "ochre", "crimson", "teal", "silver", "copper", "indigo",
        "rose", "emerald", "cobalt", "saffron", "umber", "vermilion", "turquoise", "magenta", "sepia", "ivory", "charcoal", "cerulean",
    ];

    public static readonly string[] Subjects =
    [
        "harbour", "forest", "river", "city", "street", "mountain", "garden", "sea", "house", "field", "bridge", "portrait", "window",
        "tree", "road", "lake", "sky", "shore", "village", "market", "station", "church", "tower", "boat", "flower", "bird", "horse",
        "dog", "cat", "woman", "man", "child", "hands", "face", "kitchen", "room", "door", "stairs", "rooftop", "alley", "park", "meadow",
        "valley", "cliff", "island", "desert", "dune", "glacier", "waterfall", "canyon", "orchard", "vineyard", "farm", "barn", "mill",
        "lighthouse", "pier", "ship", "train", "tram", "car", "bicycle", "cafe", "library", "museum", "theatre", "dancer", "musician",
        "violin", "piano", "fisherman", "sailor", "gardener", "baker", "skyline", "factory", "crane", "warehouse", "canal", "fountain",
        "statue", "cathedral", "temple", "mosque", "castle", "ruin", "cave", "reef", "wave", "storm", "cloud", "rain", "snow", "fog",
        "moon", "sun", "star", "comet", "owl", "fox", "deer", "wolf", "bear", "hare", "heron", "swan", "crow", "sparrow", "butterfly",
        "beetle", "moth", "jellyfish", "whale", "octopus", "seal", "lemon", "apple", "pear", "bread", "teapot", "vase", "chair",
        "mirror", "clock", "lantern", "candle", "book", "letter", "map", "compass", "umbrella", "hat", "shoes", "coat", "dress", "mask",
        "skull", "shell", "feather", "stone", "pebble", "leaf", "branch", "root", "moss", "fern", "mushroom", "lichen", "thistle",
        "poppy", "tulip", "orchid", "lotus", "cactus", "palm", "willow", "birch", "oak", "pine", "cypress", "olive", "bamboo", "kite",
        "balloon", "carousel", "circus", "parade", "festival", "wedding", "funeral", "procession", "harvest", "quarry", "foundry",
        "observatory", "greenhouse", "aqueduct", "viaduct", "monastery", "citadel", "pagoda", "minaret", "archway", "courtyard",
    ];

    public static readonly string[] Places =
    [
        "the harbour", "the hills", "the old town", "the coast", "the north", "the river bend", "the market square", "the edge of the woods",
        "the station", "the bay", "the mountains", "the plains", "the island", "the port", "the valley", "the suburbs", "the border",
        "the delta", "the fjord", "the steppe", "the lagoon", "the highlands", "the marsh", "the tundra", "the archipelago",
    ];

    public static readonly string[] Times =
    [
        "dawn", "dusk", "night", "noon", "midnight", "sunrise", "sunset", "twilight", "winter", "summer", "autumn", "spring",
        "first light", "the blue hour", "the last snow", "low tide", "high tide", "the monsoon", "the harvest moon",
    ];

    public static readonly string[] Techniques =
    [
        "study", "sketch", "photograph", "painting", "drawing", "print", "etching", "watercolour", "oil painting", "charcoal drawing",
        "ink drawing", "linocut", "collage", "digital painting", "long exposure", "gouache", "pastel", "woodcut", "lithograph",
        "pinhole photograph", "cyanotype", "screenprint", "tempera", "fresco study", "encaustic", "daguerreotype",
    ];

    public static readonly string[] Details =
    [
        "with deep shadows", "in soft morning light", "with a limited palette", "seen from above", "in heavy rain", "after the storm",
        "with long reflections", "framed by branches", "in high contrast", "with loose brushwork", "in muted tones", "against the light",
        "with fine cross-hatching", "in warm evening light", "with a shallow depth of field", "on handmade paper", "on raw linen",
        "with visible grain", "in layered glazes", "with bold outlines", "under a heavy sky", "through a rain-streaked window",
    ];

    /// <summary>Tags as creators type them: a few very common, a long tail of specific ones.</summary>
    public static readonly string[] Tags =
    [
        "landscape", "portrait", "nature", "city", "black and white", "street", "architecture", "abstract", "animals", "sea", "night",
        "people", "flowers", "travel", "light", "colour", "still life", "urban", "water", "trees", "sky", "winter", "summer", "documentary",
        "minimal", "texture", "pattern", "film", "analog", "vintage", "surreal", "figurative", "botanical", "wildlife", "birds", "coast",
        "mountains", "rain", "fog", "snow", "sunset", "sunrise", "industrial", "interior", "geometry", "shadow", "reflection", "motion",
        "music", "dance", "fashion", "food", "market", "festival", "children", "family", "elderly", "work", "craft", "hands", "faces",
        "rural", "village", "forest", "river", "lake", "desert", "island", "boats", "trains", "cars", "bicycles", "bridges", "ruins",
        "religion", "ritual", "mythology", "folklore", "fantasy", "science fiction", "horror", "comic", "cartoon", "character design",
        "concept art", "storyboard", "editorial", "children's book", "poster", "typography", "calligraphy", "map", "diagram", "scientific",
        "anatomy", "insects", "fungi", "ocean life", "microscopy", "astronomy", "aerial", "underwater", "infrared", "long exposure",
        "macro", "panorama", "tilt-shift", "double exposure", "cyanotype", "etching", "woodcut", "watercolour", "oil", "acrylic",
        "gouache", "ink", "charcoal", "pencil", "pastel", "collage", "mixed media", "digital", "vector", "pixel art", "3d", "photobook",
        "zine", "self-portrait", "nude", "figure study", "plein air", "sketchbook", "life drawing", "urban sketching", "ceramics",
        "textiles", "embroidery", "weaving", "sculpture", "installation", "land art", "graffiti", "mural", "protest", "history",
        "war", "memory", "migration", "climate", "pollution", "agriculture", "fishing", "mining", "harbour life", "night market",
        "tea", "coffee", "bread", "wine", "kitchen", "home", "garden", "greenhouse", "orchard", "vineyard", "seasons", "autumn", "spring",
    ];

    /// <summary>Words that appear in few works: one description in a hundred mentions one of them, so each is in about 120 of a million works.</summary>
    public static readonly string[] Rare =
    [
        "quetzal", "axolotl", "narwhal", "pangolin", "okapi", "tapir", "cassowary", "marabou", "ibex", "lynx", "wolverine", "capybara",
        "hoopoe", "kingfisher", "nightjar", "bittern", "ptarmigan", "dipper", "wryneck", "shrike", "samovar", "astrolabe", "orrery",
        "sextant", "metronome", "harmonium", "theremin", "zither", "bagpipe", "sitar", "accordion", "bandoneon", "gramophone",
        "zeppelin", "funicular", "paddlesteamer", "trolleybus", "rickshaw", "gondola", "sampan", "dhow", "felucca", "junk", "coracle",
        "menhir", "dolmen", "ziggurat", "stupa", "caravanserai", "hammam", "souk", "bazaar", "agora", "forum", "basilica", "rotunda",
        "belvedere", "folly", "grotto", "labyrinth", "maze", "topiary", "parterre", "espalier", "bonsai", "ikebana", "kintsugi",
        "origami", "marquetry", "filigree", "cloisonne", "mosaic", "tessellation", "fractal", "moire", "chiaroscuro", "sfumato",
        "pointillism", "impasto", "scumble", "grisaille", "trompe", "anamorphosis", "silhouette", "vignette", "diptych", "triptych",
    ];

    public static readonly string[] FirstNames =
    [
        "Ada", "Bo", "Clara", "Dev", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas", "Kaia", "Luca", "Mira", "Noor", "Omar", "Priya",
        "Quinn", "Rosa", "Sami", "Tove", "Uma", "Viktor", "Wen", "Ximena", "Yara", "Zeno", "Aino", "Bruno", "Chiara", "Dario", "Esme",
        "Farid", "Gala", "Hugo", "Ilse", "Jun", "Kofi", "Lena", "Mateo", "Nia",
    ];

    public static readonly string[] LastNames =
    [
        "Lindqvist", "Okafor", "Moreau", "Tanaka", "Silva", "Novak", "Haddad", "Kowalski", "Ferreira", "Jansen", "Rossi", "Nakamura",
        "Andersen", "Dubois", "Kaya", "Mensah", "Petrova", "Quispe", "Ramos", "Schmidt", "Takahashi", "Umarov", "Varga", "Weber",
        "Xu", "Yilmaz", "Zielinski", "Abara", "Berg", "Castillo",
    ];
}
