"""Which model is built like the buyer, and which size the buyer should take.

Ranking: a distance over height and weight, scaled so 6 cm of height weighs as much as 5 kg;
a different body shape adds one unit. Size: start from the size the chosen model wears and
move one size per ~6 kg of weight difference (height counts half as much, per 12 cm): the
rule of thumb of size charts, where one size step is ~4 cm of chest, hips or waist.
"""

from dataclasses import dataclass

from emporium_fitting.store import Model

HEIGHT_UNIT = 6.0  # cm
WEIGHT_UNIT = 5.0  # kg
SHAPE_MISMATCH = 1.0
KG_PER_SIZE = 6.0
CM_PER_SIZE = 12.0
SIZE_WORDS = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL")


@dataclass(frozen=True)
class Build:
    height_cm: float | None = None
    weight_kg: float | None = None
    shape: str | None = None

    def check(self) -> None:
        if self.height_cm is not None and not 120 <= self.height_cm <= 220:
            raise ValueError("height")
        if self.weight_kg is not None and not 30 <= self.weight_kg <= 200:
            raise ValueError("weight")
        if self.height_cm is None and self.weight_kg is None and not self.shape:
            raise ValueError("build")


def distance(model: Model, build: Build) -> float:
    total = 0.0
    if build.height_cm is not None:
        total += ((model.height_cm - build.height_cm) / HEIGHT_UNIT) ** 2
    if build.weight_kg is not None:
        total += ((model.weight_kg - build.weight_kg) / WEIGHT_UNIT) ** 2
    mismatch = SHAPE_MISMATCH if build.shape and build.shape != model.shape else 0.0
    return float(total**0.5 + mismatch)


def rank(models: list[Model], build: Build) -> list[Model]:
    """The models closest in build first (ties: the order the seller added them)."""
    return sorted(models, key=lambda m: distance(m, build))


def order_sizes(sizes: list[str]) -> list[str]:
    """The item's sizes smallest first: letter sizes by the usual order, numbers by value."""

    def key(size: str) -> tuple[int, float, str]:
        word = size.strip().upper()
        if word in SIZE_WORDS:
            return (0, SIZE_WORDS.index(word), word)
        try:
            return (0, float(word), word)
        except ValueError:
            return (1, 0.0, word)

    return sorted(dict.fromkeys(sizes), key=key)


@dataclass(frozen=True)
class Suggestion:
    size: str
    steps: int  # sizes up (+) or down (−) from the model's
    model_size: str


def suggest(model: Model, build: Build, sizes: list[str]) -> Suggestion:
    """The size for the buyer, from the model's size and the difference in build."""
    score = 0.0
    if build.weight_kg is not None:
        score += (build.weight_kg - model.weight_kg) / KG_PER_SIZE
    if build.height_cm is not None:
        score += (build.height_cm - model.height_cm) / CM_PER_SIZE * 0.5
    steps = max(-2, min(2, round(score)))
    ordered = order_sizes(sizes) or [model.size]
    if model.size not in ordered:
        return Suggestion(model.size, 0, model.size)
    index = max(0, min(len(ordered) - 1, ordered.index(model.size) + steps))
    return Suggestion(ordered[index], index - ordered.index(model.size), model.size)


def size_option(option_names: list[str]) -> str | None:
    """Which SKU option is the size (the platform's options are free text)."""
    for name in option_names:
        if name.strip().lower() in {"size", "sizes", "尺码", "尺寸", "大小"}:
            return name
    return None
