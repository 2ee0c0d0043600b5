"""The demo's people and shops: fixed names every page, doc and test can refer to."""

from dataclasses import dataclass

# The one password of every demo login, printed in the banner; never use the demo in production.
DEMO_PASSWORD = "emporium-demo"  # noqa: S105


@dataclass(frozen=True)
class Person:
    role: str  # operator, seller, buyer, developer
    username: str
    display_name: str
    timezone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class DemoShop:
    owner: Person
    name: str
    description: str
    leaves: tuple[str, ...]  # leaf category slugs the shop sells in
    colour: str  # palette colour of the logo
    weight: int = 1  # relative share of the demo items
    language: str = "en"  # the language the seller writes titles and descriptions in


OPERATOR = Person("operator", "admin", "Ada Operator", "UTC")
DEVELOPER = Person("developer", "dana", "Dana Developer", "Europe/Berlin")
BUYERS = (
    Person("buyer", "bob", "Bob Buyer"),
    Person("buyer", "ann", "Ann Li"),
    Person("buyer", "wei", "Wei Zhang"),
)
SHOPS = (
    DemoShop(Person("seller", "mei", "Mei Seller"), "Mei's Closet",
             "Dresses, blouses and coats, cut in small batches from natural fabrics.",
             ("dresses", "tops", "skirts", "coats"), "Pink", weight=3),
    DemoShop(Person("seller", "otto", "Otto Other"), "Otto's Gadgets",
             "Phones, tablets and everything that plugs in. Official warranty on every device.",
             ("phones", "tablets", "headphones"), "Navy", weight=2),
    DemoShop(Person("seller", "noah", "Noah Tailor"), "Northwind Menswear",
             "Shirts, chinos and jackets for work and weekend.",
             ("shirts", "trousers", "jackets", "t-shirts"), "Teal", weight=2),
    DemoShop(Person("seller", "sam", "Sam Cobbler"), "Stride Shoe Co.",
             "Sneakers and boots, fitted by people who walk a lot.",
             ("sneakers", "boots"), "Black"),
    DemoShop(Person("seller", "cara", "Cara Leather"), "Carry & Co.",
             "Bags that carry a day's life, and a few that hold a whole trip.",
             ("handbags", "storage"), "Burgundy"),
    DemoShop(Person("seller", "lena", "Lena Home"), "Lumen Home",
             "Lamps, linen and the quiet things that make a room.",
             ("lighting", "bedding", "storage"), "Mustard"),
    DemoShop(Person("seller", "kai", "Kai Cook"), "Copper Pot Kitchen",
             "Pans, pots and knives for people who cook every day.",
             ("kitchen",), "Coral"),
    DemoShop(Person("seller", "pia", "Pia Bloom"), "Petal Beauty",
             "Gentle skincare, easy make-up and fragrances inspired by gardens.",
             ("skincare", "makeup", "fragrance"), "Lavender", weight=2),
    DemoShop(Person("seller", "li", "Li Mingyu"), "Leaf & Kettle Tea House",
             "Teas from the hills of Hangzhou, Anxi and Wuyi, and a few snacks to go with them.",
             ("tea", "snacks"), "Green", language="zh-hans"),
    DemoShop(Person("seller", "omar", "Omar Grove"), "Orchard Fresh",
             "Fruit picked ripe and shipped the same day.",
             ("fruit", "snacks"), "Orange"),
    DemoShop(Person("seller", "sven", "Sven Trail"), "Summit Outdoor",
             "Tents, bikes and training kit, tested on our own weekends.",
             ("camping", "cycling", "fitness"), "Olive"),
    DemoShop(Person("seller", "pat", "Pat Pixel"), "Pixel Lab Digital",
             "Cameras, headphones and the kit of people who make things.",
             ("cameras", "headphones", "tablets"), "Grey"),
)  # fmt: skip
SELLER_USERNAMES = tuple(s.owner.username for s in SHOPS)
# The shop's own categories: one per leaf it sells in, plus a hand-picked shelf.
PICKS_CATEGORY = "Editor's picks"
