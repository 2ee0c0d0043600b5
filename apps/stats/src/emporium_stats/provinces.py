"""Province names as DB-IP writes them (English) → as the China map names its regions."""

NAMES = {
    "beijing": "北京", "tianjin": "天津", "hebei": "河北", "shanxi": "山西",
    "inner mongolia": "内蒙古", "liaoning": "辽宁", "jilin": "吉林", "heilongjiang": "黑龙江",
    "shanghai": "上海", "jiangsu": "江苏", "zhejiang": "浙江", "anhui": "安徽", "fujian": "福建",
    "jiangxi": "江西", "shandong": "山东", "henan": "河南", "hubei": "湖北", "hunan": "湖南",
    "guangdong": "广东", "guangxi": "广西", "hainan": "海南", "chongqing": "重庆",
    "sichuan": "四川", "guizhou": "贵州", "yunnan": "云南", "tibet": "西藏", "xizang": "西藏",
    "shaanxi": "陕西", "gansu": "甘肃", "qinghai": "青海", "ningxia": "宁夏", "xinjiang": "新疆",
    "hong kong": "香港", "macao": "澳门", "macau": "澳门", "taiwan": "台湾",
}  # fmt: skip
_SUFFIXES = (" province", " municipality", " sheng", " shi", " autonomous region",
             " zhuang autonomous region", " hui autonomous region", " uyghur autonomous region",
             " uygur autonomous region", " special administrative region", " sar")  # fmt: skip


# DB-IP names Hong Kong's and Macau's districts ("Central and Western", "Ilhas") where mainland
# rows have a province, and Taiwan's counties: the country code says the region.
REGION_OF_COUNTRY = {"HK": ("Hong Kong", "香港"), "MO": ("Macau", "澳门"), "TW": ("Taiwan", "台湾")}


def region_of(country: str | None, province: str | None) -> tuple[str, str, str]:
    """(region as the table names it, its name on the map, the district under it or "")."""
    found = REGION_OF_COUNTRY.get((country or "").upper())
    if found:
        label, on_map = found
        district = "" if map_name(province) == on_map else (province or "").strip()
        return label, on_map, district
    return province or "", map_name(province), ""


def map_name(province: str | None, country: str | None = None) -> str:
    """The map's name for a province, or the name unchanged when it is not one of China's."""
    if country and country.upper() in REGION_OF_COUNTRY:
        return REGION_OF_COUNTRY[country.upper()][1]
    if not province:
        return ""
    key = province.strip().lower()
    for suffix in sorted(_SUFFIXES, key=len, reverse=True):
        key = key.removesuffix(suffix)
    return NAMES.get(key.strip(), province)
