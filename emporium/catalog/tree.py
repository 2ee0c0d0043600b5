"""The platform category tree every marketplace starts with (operators extend it in the admin)."""

from decimal import Decimal

# slug, English, Simplified Chinese, commission rate, children (slug, English, Chinese)
TREE: list[tuple[str, str, str, str, list[tuple[str, str, str]]]] = [
    ("women", "Women's clothing", "女装", "0.0500", [
        ("dresses", "Dresses", "连衣裙"), ("tops", "Tops & blouses", "上衣"),
        ("skirts", "Skirts", "半身裙"), ("coats", "Coats", "外套"),
    ]),
    ("men", "Men's clothing", "男装", "0.0500", [
        ("shirts", "Shirts", "衬衫"), ("trousers", "Trousers", "裤子"),
        ("jackets", "Jackets", "夹克"), ("t-shirts", "T-shirts", "T恤"),
    ]),
    ("shoes", "Shoes & bags", "鞋包", "0.0500", [
        ("sneakers", "Sneakers", "运动鞋"), ("boots", "Boots", "靴子"), ("handbags", "Handbags", "手提包"),
    ]),
    ("digital", "Phones & digital", "手机数码", "0.0200", [
        ("phones", "Phones", "手机"), ("headphones", "Headphones", "耳机"),
        ("cameras", "Cameras", "相机"), ("tablets", "Tablets", "平板电脑"),
    ]),
    ("home", "Home & living", "家居", "0.0400", [
        ("kitchen", "Kitchen", "厨房用品"), ("bedding", "Bedding", "床上用品"),
        ("lighting", "Lighting", "灯具"), ("storage", "Storage", "收纳"),
    ]),
    ("beauty", "Beauty", "美妆", "0.0600", [
        ("skincare", "Skincare", "护肤"), ("makeup", "Make-up", "彩妆"), ("fragrance", "Fragrance", "香水"),
    ]),
    ("food", "Food & snacks", "食品", "0.0300", [
        ("tea", "Tea", "茶叶"), ("snacks", "Snacks", "零食"), ("fruit", "Fresh fruit", "水果"),
    ]),
    ("sports", "Sports & outdoors", "运动户外", "0.0400", [
        ("fitness", "Fitness", "健身"), ("camping", "Camping", "露营"), ("cycling", "Cycling", "骑行"),
    ]),
]  # fmt: skip


def plant_tree(category_model) -> None:
    """Create the tree (idempotent); takes the model so a data migration can pass its historical one."""
    for position, (slug, name, zh, rate, children) in enumerate(TREE):
        parent, _ = category_model.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_zh_hans": zh, "position": position, "parent": None,
                      "commission_rate": Decimal(rate)},
        )  # fmt: skip
        for child_position, (child_slug, child_name, child_zh) in enumerate(children):
            category_model.objects.update_or_create(
                slug=child_slug,
                defaults={"name": child_name, "name_zh_hans": child_zh, "position": child_position,
                          "parent": parent, "commission_rate": Decimal(rate)},
            )  # fmt: skip
