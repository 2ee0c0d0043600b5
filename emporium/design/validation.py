"""Check a design against the section catalogue: every refusal names the section and the setting.

The field of an error is a path into the document, e.g. `sections.3.settings.columns` or
`sections.0.blocks.12.settings.picture`; the message says the same in words.
"""

import re
import secrets
import uuid
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from emporium.catalog.models import Item
from emporium.design.sections import CATALOGUE, MAX_BLOCKS, MAX_SECTIONS, Kind, Setting
from emporium.lib.errors import DomainError
from emporium.lib.html import clean_rich_text, foreign_images
from emporium.pictures.services import known_keys
from emporium.resources.links import served_prefixes
from emporium.shops.models import Shop, ShopCategory

SECTION_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
PICTURE_KEY = re.compile(r"^[0-9a-f]{16,64}$")
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_PRICE = Decimal("99999999.99")
CENT = Decimal("0.01")


class DesignInvalid(DomainError):
    def __init__(self, message: str, field: str):
        super().__init__(message, field=field, status=422)


class _Refs:
    """What the document points at, checked against the shop in one query per kind."""

    def __init__(self) -> None:
        self.items: dict[uuid.UUID, list[tuple[str, str]]] = defaultdict(list)
        self.categories: dict[int, list[tuple[str, str]]] = defaultdict(list)
        self.pictures: dict[str, list[tuple[str, str]]] = defaultdict(list)


def empty_document() -> dict[str, Any]:
    return {"sections": []}


def validate_document(shop: Shop, raw: Any) -> dict[str, Any]:
    """The document as stored: defaults filled in, HTML cleaned; or DesignInvalid naming the fault."""
    if not isinstance(raw, dict) or not isinstance(raw.get("sections"), list):
        raise DesignInvalid(_("A design is an object with a list of sections."), "sections")
    sections = raw["sections"]
    if len(sections) > MAX_SECTIONS:
        raise DesignInvalid(
            _("A design has at most %(max)s sections; this one has %(n)s.")
            % {"max": MAX_SECTIONS, "n": len(sections)},
            "sections",
        )
    refs = _Refs()
    ids: set[str] = set()
    out = [_section(index, section, refs, ids) for index, section in enumerate(sections)]
    _check_refs(shop, refs)
    return {"sections": out}


def _where(index: int, kind: Kind | None) -> str:
    if kind is None:
        return _("Section %(n)s") % {"n": index + 1}
    return _("Section %(n)s (%(kind)s)") % {"n": index + 1, "kind": kind.label}


def _section(index: int, raw: Any, refs: _Refs, ids: set[str]) -> dict[str, Any]:
    path = f"sections.{index}"
    if not isinstance(raw, dict):
        raise DesignInvalid(_("%(where)s is not an object.") % {"where": _where(index, None)}, path)
    kind = CATALOGUE.get(raw.get("type"))  # type: ignore[arg-type]
    if kind is None:
        raise DesignInvalid(
            _("%(where)s: the type must be one of %(kinds)s.")
            % {"where": _where(index, None), "kinds": ", ".join(CATALOGUE)},
            f"{path}.type",
        )
    where = _where(index, kind)
    section_id = raw.get("id") or secrets.token_hex(4)
    if not isinstance(section_id, str) or not SECTION_ID.match(section_id) or section_id in ids:
        raise DesignInvalid(
            _("%(where)s: the id must be 1 to 40 letters, digits, - or _, unique in the design.")
            % {"where": where},
            f"{path}.id",
        )
    ids.add(section_id)
    values = _settings(kind.settings, raw.get("settings"), f"{path}.settings", where, refs)
    if kind.name == "item_grid":
        _check_grid(values, f"{path}.settings", where)
    return {
        "id": section_id,
        "type": kind.name,
        "settings": values,
        "blocks": _blocks(kind, raw.get("blocks"), path, where, refs),
    }


def _blocks(kind: Kind, raw: Any, path: str, where: str, refs: _Refs) -> list[dict[str, Any]]:
    raw = [] if raw is None else raw
    if not isinstance(raw, list):
        raise DesignInvalid(
            _("%(where)s: blocks must be a list.") % {"where": where}, f"{path}.blocks"
        )
    if raw and not kind.block_type:
        raise DesignInvalid(_("%(where)s takes no blocks.") % {"where": where}, f"{path}.blocks")
    if len(raw) > min(kind.max_blocks, MAX_BLOCKS):
        raise DesignInvalid(
            _("%(where)s has at most %(max)s blocks; it has %(n)s.")
            % {"where": where, "max": min(kind.max_blocks, MAX_BLOCKS), "n": len(raw)},
            f"{path}.blocks",
        )
    blocks = []
    for number, block in enumerate(raw):
        block_path = f"{path}.blocks.{number}"
        block_where = _("%(where)s, block %(n)s") % {"where": where, "n": number + 1}
        if not isinstance(block, dict) or block.get("type", kind.block_type) != kind.block_type:
            raise DesignInvalid(
                _("%(where)s: a block of this section is of type “%(type)s”.")
                % {"where": block_where, "type": kind.block_type},
                f"{block_path}.type",
            )
        values = _settings(
            kind.block_settings, block.get("settings"), f"{block_path}.settings", block_where, refs
        )
        blocks.append({"type": kind.block_type, "settings": values})
    return blocks


def _settings(
    specs: tuple[Setting, ...], raw: Any, path: str, where: str, refs: _Refs
) -> dict[str, Any]:
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise DesignInvalid(_("%(where)s: settings must be an object.") % {"where": where}, path)
    names = {spec.name for spec in specs}
    for name in raw:
        if name not in names:
            raise DesignInvalid(
                _("%(where)s has no setting “%(name)s”; it has %(names)s.")
                % {"where": where, "name": name, "names": ", ".join(sorted(names))},
                f"{path}.{name}",
            )
    return {
        spec.name: _value(spec, raw.get(spec.name), f"{path}.{spec.name}", where, refs)
        for spec in specs
    }


def _value(spec: Setting, value: Any, path: str, where: str, refs: _Refs) -> Any:
    def refuse(problem: str) -> DesignInvalid:
        return DesignInvalid(
            _("%(where)s, setting “%(setting)s”: %(problem)s")
            % {"where": where, "setting": spec.name, "problem": problem},
            path,
        )

    if value is None or value == "" or value == []:
        if spec.required:
            raise refuse(_("it is required."))
        return list(spec.default) if isinstance(spec.default, list) else spec.default
    check = _CHECKS[spec.kind]
    return check(spec, value, refuse, (path, where), refs)


Refuse = Any  # a callable taking a problem and returning the error to raise


def _text(spec: Setting, value: Any, refuse: Refuse, at: tuple[str, str], refs: _Refs) -> Any:
    if not isinstance(value, str):
        raise refuse(_("it must be text."))
    if spec.max_length and len(value) > spec.max_length:
        raise refuse(_("it is at most %(max)s characters long.") % {"max": spec.max_length})
    if spec.kind == "text":
        return value.strip()
    cleaned = clean_rich_text(value)
    foreign = foreign_images(cleaned, served_prefixes())
    if foreign:
        raise refuse(
            _(
                "the picture %(src)s is not served by the platform. Pictures from other sites "
                "tell them who looks at your shop; upload it to your picture space and use "
                "its address."
            )
            % {"src": foreign[0][:200]}
        )
    return cleaned


def _picture(spec: Setting, value: Any, refuse: Refuse, at: tuple[str, str], refs: _Refs) -> Any:
    if not isinstance(value, str) or not PICTURE_KEY.match(value):
        raise refuse(_("it must be the key of a picture in your picture space or of an item."))
    refs.pictures[value].append(at)
    return value


def _uuid(value: Any, refuse: Refuse) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise refuse(_("it must be the id of an item in your shop.")) from None


def _item(spec: Setting, value: Any, refuse: Refuse, at: tuple[str, str], refs: _Refs) -> Any:
    if not isinstance(value, str):
        raise refuse(_("it must be the id of an item in your shop."))
    item_id = _uuid(value, refuse)
    refs.items[item_id].append(at)
    return str(item_id)


def _item_list(spec: Setting, value: Any, refuse: Refuse, at: tuple[str, str], refs: _Refs) -> Any:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise refuse(_("it must be a list of item ids."))
    if spec.max_items and len(value) > spec.max_items:
        raise refuse(_("it holds at most %(max)s items.") % {"max": spec.max_items})
    ids = [_uuid(v, refuse) for v in value]
    if len(set(ids)) != len(ids):
        raise refuse(_("an item is listed twice."))
    for item_id in ids:
        refs.items[item_id].append(at)
    return [str(item_id) for item_id in ids]


def _category(spec: Setting, value: Any, refuse: Refuse, at: tuple[str, str], refs: _Refs) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        raise refuse(_("it must be the id of one of your shop categories."))
    refs.categories[value].append(at)
    return value


def _colour(spec: Setting, value: Any, refuse: Refuse, at: tuple[str, str], refs: _Refs) -> Any:
    if not isinstance(value, str) or not COLOUR.match(value):
        raise refuse(_("it must be a colour written #rrggbb."))
    return value.lower()


def _number(spec: Setting, value: Any, refuse: Refuse, at: tuple[str, str], refs: _Refs) -> Any:
    low, high = spec.minimum, spec.maximum
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:  # type: ignore[operator]
        raise refuse(
            _("it must be a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    return value


def _choice(spec: Setting, value: Any, refuse: Refuse, at: tuple[str, str], refs: _Refs) -> Any:
    if value not in spec.choices:
        raise refuse(_("it must be one of %(choices)s.") % {"choices": ", ".join(spec.choices)})
    return value


def _price(spec: Setting, value: Any, refuse: Refuse, at: tuple[str, str], refs: _Refs) -> Any:
    problem = _("it must be an amount like “99.50”, from 0 with at most two decimals.")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise refuse(problem)
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise refuse(problem) from None
    if not amount.is_finite() or not 0 <= amount <= MAX_PRICE or amount != amount.quantize(CENT):
        raise refuse(problem)
    return format(amount.quantize(CENT), "f")


_CHECKS = {
    "text": _text,
    "rich_text": _text,
    "html": _text,
    "picture": _picture,
    "item": _item,
    "item_list": _item_list,
    "category": _category,
    "colour": _colour,
    "number": _number,
    "choice": _choice,
    "price": _price,
}


def _check_grid(values: dict[str, Any], path: str, where: str) -> None:
    rule = values["rule"]
    needs = {"category": "category", "hand_picked": "items"}
    if rule in needs and not values[needs[rule]]:
        raise DesignInvalid(
            _("%(where)s, setting “%(setting)s”: the rule %(rule)s needs it.")
            % {"where": where, "setting": needs[rule], "rule": rule},
            f"{path}.{needs[rule]}",
        )
    low, high = values["min_price"], values["max_price"]
    if rule == "price_band" and low is None and high is None:
        raise DesignInvalid(
            _("%(where)s, setting “min_price”: a price band needs a lowest or highest price.")
            % {"where": where},
            f"{path}.min_price",
        )
    if low is not None and high is not None and Decimal(low) > Decimal(high):
        raise DesignInvalid(
            _("%(where)s, setting “max_price”: it must not be below the lowest price.")
            % {"where": where},
            f"{path}.max_price",
        )


def _check_refs(shop: Shop, refs: _Refs) -> None:
    items = set(
        Item.objects.filter(shop=shop, public_id__in=list(refs.items))
        .exclude(status=Item.Status.DELETED)
        .values_list("public_id", flat=True)
    )
    categories = set(
        ShopCategory.objects.filter(shop=shop, pk__in=list(refs.categories)).values_list(
            "pk", flat=True
        )
    )
    pictures = known_keys(shop, set(refs.pictures))
    missing = [
        (at, _("there is no such item in your shop."))
        for key, places in refs.items.items() if key not in items for at in places
    ] + [
        (at, _("there is no such category in your shop."))
        for key, places in refs.categories.items() if key not in categories for at in places
    ] + [
        (at, _("there is no such picture in your picture space or on your items."))
        for key, places in refs.pictures.items() if key not in pictures for at in places
    ]  # fmt: skip
    if missing:
        (path, where), problem = min(missing, key=lambda pair: _order(pair[0][0]))
        setting = path.rsplit(".", 1)[-1]
        raise DesignInvalid(
            _("%(where)s, setting “%(setting)s”: %(problem)s")
            % {"where": where, "setting": setting, "problem": problem},
            path,
        )


def _order(path: str) -> list[Any]:
    """Report the first fault in document order, whatever kind of reference it is."""
    return [int(part) if part.isdigit() else part for part in path.split(".")]
