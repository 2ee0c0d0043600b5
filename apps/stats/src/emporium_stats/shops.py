"""The shops that installed the app, their tokens, and brands (the mall edition's shop groups)."""

import json
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from emporium_sdk import JsonFileTokenStore


@dataclass
class Shop:
    shop_id: str
    name: str
    plan: str = "free"  # "free" or "mall"
    brand: str | None = None  # the brand (mall edition) this shop belongs to
    installed: bool = True
    installed_at: float = 0.0  # unix time of the latest install: older view passes are void


@dataclass
class Brand:
    code: str  # the join code a shop enters to join the brand
    name: str
    shops: list[str] = field(default_factory=list)


class ShopRow(TypedDict):
    shop_id: str
    name: str
    plan: str
    brand: str | None
    installed: bool
    installed_at: float


class BrandRow(TypedDict):
    code: str
    name: str
    shops: list[str]


class RegistryData(TypedDict):
    """What shops.json holds."""

    shops: dict[str, ShopRow]
    brands: dict[str, BrandRow]


def _shop_row(shop: Shop) -> ShopRow:
    return ShopRow(shop_id=shop.shop_id, name=shop.name, plan=shop.plan, brand=shop.brand,
                   installed=shop.installed, installed_at=shop.installed_at)  # fmt: skip


def _brand_row(brand: Brand) -> BrandRow:
    return BrandRow(code=brand.code, name=brand.name, shops=list(brand.shops))


class Registry:
    """A small JSON file: the app's own bookkeeping of installs (analytics data is in the store)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "shops.json"
        self.tokens = JsonFileTokenStore(data_dir / "tokens.json")
        self._lock = threading.Lock()

    def _read(self) -> RegistryData:
        if not self.path.exists():
            return {"shops": {}, "brands": {}}
        data: RegistryData = json.loads(self.path.read_text())
        return data

    def _write(self, data: RegistryData) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False))
        tmp.replace(self.path)

    def shops(self) -> list[Shop]:
        return [Shop(**s) for s in self._read()["shops"].values()]

    def shop(self, shop_id: str) -> Shop | None:
        row = self._read()["shops"].get(shop_id)
        return Shop(**row) if row else None

    def save_shop(self, shop: Shop) -> None:
        with self._lock:
            data = self._read()
            data["shops"][shop.shop_id] = _shop_row(shop)
            self._write(data)

    def uninstalled(self, shop_id: str, before: float | None = None) -> None:
        """The shop uninstalled the app; an uninstall that happened `before` the latest install
        (its webhook arrived late, after the shop installed again) changes nothing."""
        with self._lock:
            data = self._read()
            shop = data["shops"].get(shop_id)
            if shop is not None and before is not None and before < shop.get("installed_at", 0):
                return
            if shop is not None:
                shop["installed"] = False
            self._write(data)
        self.tokens.delete(shop_id)

    def forget(self, shop_id: str) -> None:
        """Erasure: nothing of the shop is kept, not even its name."""
        with self._lock:
            data = self._read()
            data["shops"].pop(shop_id, None)
            for brand in data["brands"].values():
                if shop_id in brand["shops"]:
                    brand["shops"].remove(shop_id)
            self._write(data)
        self.tokens.delete(shop_id)

    def brand(self, code: str | None) -> Brand | None:
        row = self._read()["brands"].get(code or "")
        return Brand(**row) if row else None

    def create_brand(self, owner: Shop, name: str) -> Brand:
        with self._lock:
            data = self._read()
            # 128 random bits: a code cannot be guessed, only shared by the brand's owner.
            brand = Brand(code=secrets.token_urlsafe(16), name=name[:80], shops=[owner.shop_id])
            data["brands"][brand.code] = _brand_row(brand)
            data["shops"][owner.shop_id]["brand"] = brand.code
            self._write(data)
        return brand

    def join_brand(self, shop: Shop, code: str) -> Brand | None:
        with self._lock:
            data = self._read()
            row = data["brands"].get(code)
            if row is None:
                return None
            if shop.shop_id not in row["shops"]:
                row["shops"].append(shop.shop_id)
            data["shops"][shop.shop_id]["brand"] = code
            self._write(data)
        return Brand(**row)

    def shops_in_view(self, shop_id: str) -> list[str]:
        """The shops a seller of `shop_id` sees: a brand's shops on the mall plan, else their own."""
        shop = self.shop(shop_id)
        if shop and shop.plan == "mall" and shop.brand:
            brand = self.brand(shop.brand)
            if brand:
                return brand.shops
        return [shop_id]
