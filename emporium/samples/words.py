"""Vocabulary of the demo catalogue: title words, options and description phrases per category."""

from dataclasses import dataclass, field

# Colour names shared by SKU options and pictures, with the RGB the silhouette is drawn in.
PALETTE: dict[str, tuple[int, int, int]] = {
    "Red": (196, 52, 58),
    "Coral": (232, 118, 92),
    "Mustard": (212, 160, 40),
    "Olive": (110, 122, 62),
    "Green": (60, 140, 92),
    "Teal": (36, 128, 132),
    "Sky blue": (92, 156, 214),
    "Navy": (38, 56, 104),
    "Lavender": (150, 128, 196),
    "Pink": (226, 140, 170),
    "Burgundy": (118, 34, 56),
    "Beige": (208, 186, 150),
    "Grey": (128, 132, 140),
    "Black": (44, 44, 50),
    "Orange": (236, 132, 36),
    "Yellow": (240, 200, 60),
}
# Every colour of a shape is one more picture to draw, so each palette stays short.
CLOTHING_COLOURS = ("Red", "Coral", "Mustard", "Olive", "Teal", "Sky blue", "Navy", "Pink",
                    "Beige", "Black")  # fmt: skip
GEAR_COLOURS = ("Black", "Grey", "Navy", "Sky blue", "Red", "Green")
HOME_COLOURS = ("Beige", "Grey", "Sky blue", "Teal", "Mustard", "Coral")
LIP_SHADES = ("Red", "Coral", "Pink", "Burgundy", "Beige")
FRUIT_COLOURS = ("Red", "Orange", "Yellow", "Green")


@dataclass(frozen=True)
class Option:
    """One SKU dimension: values with a price factor, and how many values an item offers."""

    name: str
    values: tuple[tuple[str, str], ...]  # (value, price factor as a decimal string)
    fewest: int
    most: int
    contiguous: bool = False  # sizes come in a run (S–L), colours as any subset


def colours(names: tuple[str, ...], fewest: int = 1, most: int = 4, name: str = "Colour") -> Option:
    return Option(name, tuple((n, "1") for n in names), fewest, most)


def _plain(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((v, "1") for v in values)


SIZES = Option("Size", _plain(("XS", "S", "M", "L", "XL", "XXL")), 3, 5, contiguous=True)
EU_SIZES = Option("EU size", _plain(tuple(str(n) for n in range(35, 47))), 4, 7, contiguous=True)
STORAGE = Option("Storage", (("128 GB", "1"), ("256 GB", "1.2"), ("512 GB", "1.55"),
                             ("1 TB", "2")), 2, 3, contiguous=True)  # fmt: skip
VOLUME = Option("Volume", (("30 ml", "1"), ("50 ml", "1.45"), ("100 ml", "2.4")), 2, 3, True)
TEA_WEIGHT = Option("Weight", (("50 g", "1"), ("100 g", "1.85"), ("250 g", "4.2"),
                               ("500 g", "7.8")), 2, 3, contiguous=True)  # fmt: skip
FRUIT_WEIGHT = Option("Weight", (("1 kg", "1"), ("2.5 kg", "2.3"), ("5 kg", "4.2")), 2, 3, True)
BED_SIZE = Option("Size", (("Single", "1"), ("Double", "1.25"), ("Queen", "1.4"),
                           ("King", "1.6")), 2, 4, contiguous=True)  # fmt: skip
BOX_SIZE = Option("Size", (("Small", "1"), ("Medium", "1.35"), ("Large", "1.7")), 2, 3, True)
FRAME_SIZE = Option("Frame", (("S", "1"), ("M", "1"), ("L", "1.05")), 2, 3, contiguous=True)
KIT = Option("Kit", (("Body only", "1"), ("With 24-70 mm lens", "1.45")), 2, 2)
DUMBBELLS = Option("Weight", (("2 × 2 kg", "1"), ("2 × 5 kg", "1.8"),
                              ("2 × 10 kg", "3.1")), 2, 3, contiguous=True)  # fmt: skip
FLAVOURS = Option("Flavour", _plain(("Original", "Sea salt", "Spicy", "Honey", "Seaweed")), 2, 4)


@dataclass(frozen=True)
class Leaf:
    """How items of one leaf category are named, priced, varied and pictured."""

    slug: str
    group: str  # which description phrases fit (apparel, shoes, digital, ...)
    shape: str  # silhouette drawn by emporium.samples.pictures
    price: tuple[int, int]  # usual price range in yuan
    templates: tuple[str, ...]  # title patterns; {slot} is filled from `words`
    words: dict[str, tuple[str, ...]]
    # Alternative option sets; an item takes one of them ((),) means a single plain SKU.
    options: tuple[tuple[Option, ...], ...] = ((),)
    colours: tuple[str, ...] = CLOTHING_COLOURS


APPAREL = ((colours(CLOTHING_COLOURS), SIZES),)
# Common nouns are lower case; the title's first letter is capitalised when it is built.
_CLOTH = ("linen", "cotton", "organic cotton", "silk", "wool", "cashmere-blend", "denim",
          "corduroy", "jersey", "satin", "chiffon", "velvet", "tweed", "seersucker")  # fmt: skip
_SEASON = ("summer", "spring", "autumn", "winter", "everyday", "weekend", "holiday", "office")

LEAVES: tuple[Leaf, ...] = (
    Leaf("dresses", "apparel", "dress", (89, 899),
         ("{cloth} {style} {season} {noun}", "{style} {cloth} {noun}"),
         {"cloth": _CLOTH, "season": _SEASON,
          "style": ("A-line", "pleated", "floral", "tiered", "belted", "smocked", "V-neck",
                    "puff-sleeve", "wrap", "square-neck", "polka-dot", "sleeveless"),
          "noun": ("dress", "midi dress", "maxi dress", "shirt dress", "slip dress", "tea dress")},
         APPAREL),
    Leaf("tops", "apparel", "tee", (49, 459),
         ("{cloth} {style} {noun}", "{style} {cloth} {season} {noun}"),
         {"cloth": _CLOTH, "season": _SEASON,
          "style": ("ruffled", "cropped", "boat-neck", "embroidered", "striped", "balloon-sleeve",
                    "relaxed", "wrap-front", "lace-trim"),
          "noun": ("blouse", "top", "camisole", "tunic", "knit top", "peplum top")}, APPAREL),
    Leaf("skirts", "apparel", "skirt", (59, 599),
         ("{cloth} {style} {noun}", "{style} {season} {noun}"),
         {"cloth": _CLOTH, "season": _SEASON,
          "style": ("pleated", "A-line", "high-waisted", "button-front", "tiered", "wrap",
                    "floral", "checked"),
          "noun": ("skirt", "midi skirt", "mini skirt", "maxi skirt", "pencil skirt")}, APPAREL),
    Leaf("coats", "apparel", "coat", (299, 2599),
         ("{cloth} {style} {noun}", "{style} {season} {noun}"),
         {"cloth": ("wool", "cashmere-blend", "tweed", "cotton", "down-filled", "alpaca-blend"),
          "season": ("winter", "autumn", "city", "travel"),
          "style": ("double-breasted", "belted", "hooded", "oversized", "tailored", "quilted",
                    "longline", "collarless"),
          "noun": ("coat", "trench coat", "wrap coat", "parka", "puffer coat", "overcoat")},
         APPAREL),
    Leaf("shirts", "apparel", "shirt", (79, 699),
         ("{cloth} {style} {noun}", "{style} {cloth} {noun}"),
         {"cloth": ("Oxford cotton", "linen", "poplin", "chambray", "flannel", "twill", "denim"),
          "style": ("slim-fit", "regular-fit", "button-down", "band-collar", "striped", "checked",
                    "short-sleeve", "non-iron"),
          "noun": ("shirt", "dress shirt", "overshirt", "work shirt")}, APPAREL),
    Leaf("trousers", "apparel", "trousers", (99, 799),
         ("{cloth} {style} {noun}", "{style} {cloth} {noun}"),
         {"cloth": ("cotton", "linen", "wool", "corduroy", "denim", "stretch twill", "ripstop"),
          "style": ("slim", "tapered", "straight-leg", "pleated", "relaxed", "drawstring",
                    "wide-leg", "cargo"),
          "noun": ("trousers", "chinos", "jeans", "joggers", "suit trousers")}, APPAREL),
    Leaf("jackets", "apparel", "jacket", (199, 1599),
         ("{cloth} {style} {noun}", "{style} {noun}"),
         {"cloth": ("denim", "suede", "nylon", "waxed cotton", "corduroy", "wool", "leather"),
          "style": ("cropped", "quilted", "zip-up", "lightweight", "waterproof", "padded",
                    "chore", "bomber"),
          "noun": ("jacket", "field jacket", "bomber jacket", "harrington jacket", "gilet")},
         APPAREL),
    Leaf("t-shirts", "apparel", "tee", (39, 299),
         ("{cloth} {style} {noun}", "{style} {cloth} {noun}"),
         {"cloth": ("cotton", "organic cotton", "Supima cotton", "slub cotton", "merino", "bamboo"),
          "style": ("crew-neck", "V-neck", "pocket", "heavyweight", "graphic", "striped",
                    "oversized", "ringer"),
          "noun": ("T-shirt", "tee", "long-sleeve tee", "polo shirt", "henley")}, APPAREL),
    Leaf("sneakers", "shoes", "sneaker", (199, 1299),
         ("{material} {style} {noun}", "{style} {noun}"),
         {"material": ("canvas", "leather", "suede", "mesh", "knit", "recycled"),
          "style": ("low-top", "high-top", "running", "court", "retro", "platform", "trail",
                    "slip-on", "skate"),
          "noun": ("sneakers", "trainers", "shoes")},
         ((colours(GEAR_COLOURS, 1, 3), EU_SIZES),), GEAR_COLOURS),
    Leaf("boots", "shoes", "boot", (299, 1899),
         ("{material} {style} {noun}", "{style} {material} {noun}"),
         {"material": ("leather", "suede", "waxed leather", "nubuck", "rubber"),
          "style": ("Chelsea", "lace-up", "hiking", "ankle", "combat", "knee-high", "lined",
                    "walking", "rain"),
          "noun": ("boots",)},
         ((colours(("Black", "Beige", "Burgundy", "Olive", "Grey", "Navy"), 1, 3), EU_SIZES),),
         ("Black", "Beige", "Burgundy", "Olive", "Grey", "Navy")),
    Leaf("handbags", "bags", "handbag", (129, 2999),
         ("{material} {style} {noun}", "{style} {noun}"),
         {"material": ("leather", "vegan leather", "canvas", "woven straw", "nylon", "suede"),
          "style": ("quilted", "structured", "slouchy", "mini", "crossbody", "top-handle",
                    "drawstring"),
          "noun": ("handbag", "tote bag", "shoulder bag", "bucket bag", "clutch", "saddle bag")},
         ((colours(CLOTHING_COLOURS, 1, 4),),)),
    Leaf("phones", "digital", "phone", (999, 8999),
         ("{brand} {model} {feature} {noun}",),
         {"brand": ("Aurora", "Nimbus", "Kestrel", "Orbit", "Lumo", "Vanta"),
          "model": ("7", "8", "9 Pro", "X", "X2", "Air", "Lite", "Max", "Mini", "12 Ultra"),
          "feature": ("5G", "dual-SIM", "foldable", "camera", "long-battery"),
          "noun": ("smartphone", "phone", "mobile phone")},
         ((colours(("Black", "Grey", "Sky blue", "Lavender", "Green", "Beige"), 1, 3), STORAGE),),
         ("Black", "Grey", "Sky blue", "Lavender", "Green", "Beige")),
    Leaf("headphones", "digital", "headphones", (99, 2999),
         ("{brand} {style} {noun}", "{style} {feature} {noun}"),
         {"brand": ("Aurora", "Nimbus", "Kestrel", "Orbit", "Lumo", "Vanta"),
          "style": ("over-ear", "on-ear", "wireless", "studio", "sport", "foldable"),
          "feature": ("noise-cancelling", "Bluetooth", "low-latency", "hi-res"),
          "noun": ("headphones", "headset", "earbuds")},
         ((), (colours(GEAR_COLOURS, 1, 3),)), GEAR_COLOURS),
    Leaf("cameras", "digital", "camera", (1299, 15999),
         ("{brand} {model} {style} {noun}",),
         {"brand": ("Aurora", "Kestrel", "Vanta", "Lumo"),
          "model": ("A7", "Z5", "M10", "R3", "X100", "G9"),
          "style": ("mirrorless", "compact", "full-frame", "vlogging", "instant"),
          "noun": ("camera", "digital camera")},
         ((), (KIT,)), ("Black", "Grey", "Beige")),
    Leaf("tablets", "digital", "tablet", (999, 6999),
         ("{brand} {model} {feature} {noun}",),
         {"brand": ("Aurora", "Nimbus", "Orbit", "Lumo"),
          "model": ("Tab 8", "Tab 11", "Pad Air", "Pad Pro", "Note 10"),
          "feature": ("Wi-Fi", "LTE", "OLED", "kids'", "drawing"),
          "noun": ("tablet",)},
         ((STORAGE,), (colours(("Grey", "Sky blue", "Black"), 1, 2),)),
         ("Grey", "Sky blue", "Black")),
    Leaf("kitchen", "home", "pot", (39, 1299),
         ("{material} {style} {noun}", "{style} {noun}"),
         {"material": ("cast-iron", "stainless steel", "ceramic", "enamel", "copper", "bamboo"),
          "style": ("non-stick", "24 cm", "induction-ready", "stackable", "lidded", "dual-handle"),
          "noun": ("casserole", "saucepan", "stock pot", "frying pan", "wok", "dutch oven")},
         ((), (colours(HOME_COLOURS, 1, 3),)), HOME_COLOURS),
    Leaf("bedding", "home", "bedding", (99, 1499),
         ("{material} {style} {noun}", "{style} {material} {noun}"),
         {"material": ("linen", "cotton sateen", "percale", "silk", "bamboo", "flannel"),
          "style": ("stonewashed", "quilted", "striped", "waffle-weave", "embroidered", "plain"),
          "noun": ("duvet cover set", "sheet set", "pillowcase pair", "quilt", "throw")},
         ((BED_SIZE,), (colours(HOME_COLOURS, 1, 3), BED_SIZE)), HOME_COLOURS),
    Leaf("lighting", "home", "lamp", (69, 1999),
         ("{material} {style} {noun}", "{style} {noun}"),
         {"material": ("rattan", "brass", "ceramic", "glass", "linen", "oak"),
          "style": ("dimmable", "mid-century", "arched", "adjustable", "minimalist", "LED"),
          "noun": ("table lamp", "floor lamp", "desk lamp", "pendant light", "bedside lamp")},
         ((colours(HOME_COLOURS, 1, 3),),), HOME_COLOURS),
    Leaf("storage", "home", "box", (19, 599),
         ("{material} {style} {noun}", "{style} {noun}"),
         {"material": ("seagrass", "cotton rope", "bamboo", "felt", "clear acrylic", "oak"),
          "style": ("stackable", "lidded", "foldable", "under-bed", "modular", "labelled"),
          "noun": ("storage box", "basket", "drawer organiser", "shelf bin", "storage crate")},
         ((), (BOX_SIZE,)), HOME_COLOURS),
    Leaf("skincare", "beauty", "jar", (39, 899),
         ("{ingredient} {style} {noun}", "{style} {ingredient} {noun}"),
         {"ingredient": ("hyaluronic", "vitamin C", "niacinamide", "green tea", "rose",
                         "ceramide", "rice water"),
          "style": ("hydrating", "brightening", "overnight", "gentle", "fragrance-free",
                    "soothing"),
          "noun": ("moisturiser", "face serum", "night cream", "cleansing balm", "eye cream")},
         ((VOLUME,), ()), ("Pink", "Beige", "Sky blue", "Green", "Lavender")),
    Leaf("makeup", "beauty", "lipstick", (29, 499),
         ("{style} {noun}", "{finish} {style} {noun}"),
         {"finish": ("matte", "satin", "glossy", "velvet", "sheer"),
          "style": ("long-wear", "hydrating", "creamy", "weightless", "buildable"),
          "noun": ("lipstick", "lip tint", "blush", "cushion foundation", "lip balm")},
         ((colours(LIP_SHADES, 2, 5, name="Shade"),),), LIP_SHADES),
    Leaf("fragrance", "beauty", "bottle", (99, 1999),
         ("{note} {style} {noun}", "{style} {note} {noun}"),
         {"note": ("osmanthus", "jasmine", "sandalwood", "bergamot", "fig", "vetiver", "peony"),
          "style": ("fresh", "warm", "woody", "floral", "citrus", "musky"),
          "noun": ("eau de parfum", "eau de toilette", "body mist", "solid perfume")},
         ((VOLUME,),), ("Pink", "Lavender", "Mustard", "Sky blue", "Teal", "Coral")),
    Leaf("tea", "food", "tin", (29, 1299),
         ("{kind} {noun}", "{grade} {kind} {noun}"),
         {"kind": ("West Lake Longjing", "Anxi Tieguanyin", "Wuyi rock oolong", "Yunnan pu-erh",
                   "Fujian jasmine", "Fuding white", "Keemun black", "Darjeeling black"),
          "grade": ("spring-picked", "first-flush", "hand-rolled", "aged", "organic"),
          "noun": ("tea", "loose-leaf tea", "tea gift tin")},
         ((TEA_WEIGHT,),), ("Green", "Teal", "Burgundy", "Mustard", "Red", "Navy")),
    Leaf("snacks", "food", "pouch", (9, 199),
         ("{style} {kind} {noun}", "{kind} {noun}"),
         {"style": ("roasted", "crispy", "spicy", "honey-glazed", "sea-salted", "baked"),
          "kind": ("almond", "cashew", "seaweed", "rice cracker", "mango", "sweet potato"),
          "noun": ("snacks", "chips", "bites", "snack box")},
         ((), (FLAVOURS,)), ("Orange", "Red", "Yellow", "Green", "Coral", "Teal")),
    Leaf("fruit", "food", "fruit", (19, 399),
         ("{origin} {style} {noun}", "{style} {noun}"),
         {"origin": ("Yantai", "Hainan", "Xinjiang", "Guangxi", "Sichuan", "Chile"),
          "style": ("fresh", "sweet", "organic", "hand-picked", "seasonal", "juicy"),
          "noun": ("apples", "mangoes", "lychees", "oranges", "cherries", "pears", "kiwi fruit")},
         ((FRUIT_WEIGHT,),), FRUIT_COLOURS),
    Leaf("fitness", "sports", "dumbbell", (29, 1999),
         ("{material} {style} {noun}", "{style} {noun}"),
         {"material": ("neoprene", "cast-iron", "rubber", "steel", "cork"),
          "style": ("adjustable", "non-slip", "home-gym", "hex", "compact"),
          "noun": ("dumbbells", "kettlebell", "yoga mat", "resistance bands", "skipping rope")},
         ((), (DUMBBELLS,)), GEAR_COLOURS),
    Leaf("camping", "sports", "tent", (59, 3999),
         ("{style} {material} {noun}", "{style} {noun}"),
         {"material": ("ripstop", "aluminium", "cotton canvas", "down", "titanium"),
          "style": ("2-person", "ultralight", "waterproof", "pop-up", "four-season", "family"),
          "noun": ("tent", "sleeping bag", "camping chair", "tarp", "camp stove")},
         ((), (colours(("Olive", "Orange", "Sky blue", "Grey", "Green"), 1, 3),)),
         ("Olive", "Orange", "Sky blue", "Grey", "Green")),
    Leaf("cycling", "sports", "bicycle", (99, 8999),
         ("{material} {style} {noun}", "{style} {noun}"),
         {"material": ("carbon", "aluminium", "steel", "chromoly"),
          "style": ("road", "gravel", "city", "folding", "commuter", "single-speed"),
          "noun": ("bike", "bicycle", "cycling helmet", "bike light set")},
         ((FRAME_SIZE,), (colours(GEAR_COLOURS, 1, 3),)), GEAR_COLOURS),
)  # fmt: skip
LEAF_BY_SLUG = {leaf.slug: leaf for leaf in LEAVES}


@dataclass(frozen=True)
class Phrases:
    """Sentences for descriptions of one group; {noun} (singular or plural) is the item's noun."""

    intros: tuple[str, ...]
    points: tuple[str, ...]
    specs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    closing: tuple[str, ...] = ()


ORIGINS = ("Hangzhou", "Guangzhou", "Suzhou", "Shenzhen", "Yiwu", "Qingdao", "Chengdu", "Xiamen")
DISPATCH = ("24 hours", "48 hours", "3 days")
PHRASES: dict[str, Phrases] = {
    "apparel": Phrases(
        intros=(
            "Meet our {noun}: easy to wear, easy to care for, and made to last.",
            "Our best-loved {noun}, recut this season with a softer hand and a cleaner line.",
            "Made in a small family workshop and checked by hand: our {noun}.",
        ),
        points=(
            "Pre-washed, so it keeps its shape and size",
            "Breathable and soft against the skin",
            "Reinforced seams that last",
            "Relaxed through the body, neat at the shoulders",
            "Deep side pockets",
            "Buttons sewn on to stay",
            "Dyed with low-impact dyes",
            "Model is 168 cm and wears size S",
        ),
        specs={
            "Fit": ("Regular", "Relaxed", "Slim", "Oversized"),
            "Care": ("Machine wash 30 °C", "Hand wash cold", "Dry clean only"),
        },
        closing=(
            "Not sure about your size? Ask us: we reply within the hour.",
            "Free returns within 7 days if it is not quite right.",
        ),
    ),
    "shoes": Phrases(
        intros=(
            "Cushioned, light and ready for a long day on your feet: meet our {noun}.",
            "Classic lines and modern comfort, broken in from the first walk: our {noun}.",
        ),
        points=(
            "Removable cushioned insole",
            "Grippy rubber outsole",
            "Padded collar and tongue",
            "True to size; half sizes take the next size up",
            "Breathable lining",
            "Stitched, not only glued",
        ),
        specs={"Sole": ("Rubber", "EVA foam", "Crepe"), "Heel height": ("2 cm", "3 cm", "4 cm")},
        closing=("Each pair ships in a recycled shoebox.",),
    ),
    "bags": Phrases(
        intros=(
            "Roomy enough for a day out, neat enough for the office: our {noun}.",
            "A clean shape that only gets better with age: our {noun}.",
        ),
        points=(
            "Fits a 13-inch laptop",
            "Inner zip pocket and phone sleeve",
            "Adjustable, detachable strap",
            "Magnetic closure",
            "Brass hardware",
            "Dust bag included",
        ),
        specs={"Dimensions": ("32 × 26 × 12 cm", "24 × 18 × 8 cm", "40 × 30 × 14 cm")},
        closing=("Gift wrapping on request.",),
    ),
    "digital": Phrases(
        intros=(
            "Fast, clear and built to last: meet our {noun}.",
            "Everything you need in your {noun}, and nothing you do not.",
        ),
        points=(
            "All-day battery with fast charging",
            "Bright, sharp display",
            "Official warranty, invoice included",
            "Latest system update installed",
            "USB-C cable in the box",
            "Dual microphones for clear calls",
        ),
        specs={"Warranty": ("1 year", "2 years"), "Connectivity": ("Bluetooth 5.3", "Wi-Fi 6")},
        closing=("Sealed, brand-new stock from the official distributor.",),
    ),
    "home": Phrases(
        intros=(
            "Small things make a home: meet our {noun}.",
            "Useful every day and handsome on the shelf: our {noun}, made to be kept.",
        ),
        points=(
            "Easy to clean",
            "Sturdy and well balanced",
            "Made from responsibly sourced materials",
            "Packed plastic-free",
            "Matches the rest of the collection",
        ),
        specs={"Care": ("Wipe clean", "Machine wash 40 °C", "Dishwasher safe")},
        closing=("Ships well protected; breakage is replaced free of charge.",),
    ),
    "beauty": Phrases(
        intros=(
            "Gentle on every skin type and tested by dermatologists: our {noun}.",
            "Our bestselling {noun}: light on the skin, rich in results.",
        ),
        points=(
            "Free from parabens and mineral oil",
            "Not tested on animals",
            "Absorbs quickly, no sticky finish",
            "Suitable for sensitive skin",
            "Recyclable glass packaging",
        ),
        specs={
            "Shelf life": ("24 months", "36 months"),
            "Skin type": ("All", "Dry", "Combination"),
        },
        closing=("Store away from direct sunlight.",),
    ),
    "food": Phrases(
        intros=(
            "Picked at its best and packed the same day: our {noun}.",
            "From the grower to your table, with nothing added: our {noun}.",
        ),
        points=(
            "No artificial colours or preservatives",
            "Traceable to the farm",
            "Packed in a resealable bag",
            "Shipped cool in summer",
        ),
        specs={
            "Shelf life": ("7 days", "6 months", "12 months", "18 months"),
            "Storage": ("Cool and dry", "Refrigerate after opening"),
        },
        closing=("Fresh goods cannot be returned, but we replace anything that arrives damaged.",),
    ),
    "sports": Phrases(
        intros=(
            "Built for the trail, the road and the gym: our {noun}.",
            "Tough enough for every weekend and light enough to carry: our {noun}.",
        ),
        points=(
            "Weather-resistant",
            "Lightweight and packable",
            "Reinforced stress points",
            "Two-year warranty",
            "Tested by our own club riders and hikers",
        ),
        specs={"Weight": ("450 g", "1.2 kg", "2.3 kg", "9.8 kg")},
        closing=("Questions about fit or sizing? Our team rides and hikes too.",),
    ),
}


# --- Chinese-writing sellers ----------------------------------------------------------------
# Titles as Taobao sellers write them: keywords side by side, the year's harvest, the grade and
# the pack, spaces between groups. Shops with language "zh-hans" use these for the leaves listed.


@dataclass(frozen=True)
class ChineseLeaf:
    templates: tuple[str, ...]
    words: dict[str, tuple[str, ...]]


ZH_LEAVES: dict[str, ChineseLeaf] = {
    "tea": ChineseLeaf(
        ("{kind} {grade} {noun}", "2026新茶 {kind} {noun}", "{grade}{kind} {noun} 口粮茶"),
        {"kind": ("西湖龙井", "安溪铁观音", "武夷岩茶大红袍", "云南普洱", "福建茉莉花茶",
                  "福鼎白茶", "祁门红茶", "正山小种"),
         "grade": ("明前特级", "雨前一级", "手工炒制", "陈年", "有机"),
         "noun": ("茶叶", "散装茶叶", "茶叶礼盒")},
    ),
    "snacks": ChineseLeaf(
        ("{style}{kind} {noun}", "{kind} {style} {noun} 办公室零食"),
        {"style": ("炭烤", "香脆", "麻辣", "蜂蜜", "海盐", "烘焙"),
         "kind": ("巴旦木", "腰果", "海苔", "米饼", "芒果干", "红薯干"),
         "noun": ("零食", "小吃", "休闲零食大礼包")},
    ),
}  # fmt: skip

ZH_PHRASES = Phrases(
    intros=(
        "{noun}，产地直发，当季新货，开袋即是好味道。",
        "我们家的{noun}，从茶园到您手里不经中间商。",
    ),
    points=("不添加色素和防腐剂", "每一批都可追溯到产地", "密封袋包装，方便保存", "夏季冷链发货"),
    specs={"保质期": ("6个月", "12个月", "18个月"), "储存方法": ("阴凉干燥处", "开封后冷藏")},
    closing=("食品类商品不支持无理由退货，运输破损包赔。",),
)
ZH_ORIGINS = ("杭州", "安溪", "武夷山", "普洱", "福州", "福鼎", "祁门")
ZH_DISPATCH = ("24小时内", "48小时内", "3天内")
