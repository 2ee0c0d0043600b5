"""Every report as CSV rows: the page's figures (Decimal as plain strings) under a header row.

The header row and the fixed row labels ("total", "profit") are in the seller's language
(`i18n.csv_words`); account names stay as the books name them.

A cell a spreadsheet would read as a formula (= + - @ first) gets a leading apostrophe, as the
stats app's exports do: a narration typed by the seller or a statement line is untrusted text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from emporium_books import cogs, i18n, reports

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard(cell: object) -> str:
    """The cell as text; a Decimal stays a plain number (a refund's −5.00 is no formula)."""
    if isinstance(cell, Decimal):
        return str(cell)
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_START) else text


def render(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([guard(h) for h in header])
    for row in rows:
        writer.writerow([guard(cell) for cell in row])
    return out.getvalue()


def profit_and_loss(pnl: reports.ProfitAndLoss, lang: str = "en") -> str:
    w = i18n.csv_words(lang)
    rows: list[list[object]] = [
        [a, *[m.lines.get(a, reports.ZERO) for m in pnl.months], pnl.total(a)] for a in pnl.accounts
    ]
    # The page's footer rows: income, expenses, profit (each with its total), gross margin.
    for key in ("income", "expenses", "profit"):
        figures = [getattr(m, key) for m in pnl.months]
        rows.append([w[key], *figures, sum(figures, reports.ZERO)])
    rows.append([w["gross_margin"], *["" if m.gross_margin is None else m.gross_margin
                                      for m in pnl.months], ""])  # fmt: skip
    return render([w["account"], *[m.month for m in pnl.months], w["total"]], rows)


def balance_sheet(sheet: reports.BalanceSheet, lang: str = "en") -> str:
    w = i18n.csv_words(lang)
    rows: list[list[object]] = []
    for side, lines in (("assets", sheet.assets), ("liabilities", sheet.liabilities),
                        ("equity", sheet.equity)):  # fmt: skip
        rows += [[w[side], name, amount] for name, amount in lines.items()]
    rows += [[w["equity"], w["earnings"], sheet.earnings],
             [w["total"], w["assets"], sheet.total_assets],
             [w["total"], w["claims"], sheet.total_claims]]  # fmt: skip
    return render([w["section"], w["account"], w["as_of"].format(day=sheet.day)], rows)


def cash_flow(flows: list[tuple[str, dict[str, Decimal]]], lang: str = "en") -> str:
    w = i18n.csv_words(lang)
    kinds = ("income", "expenses", "owner", "other", "net")
    return render([w["month"], *[w[k] for k in kinds]],
                  ([month, *[f[k] for k in kinds]] for month, f in flows))  # fmt: skip


def spending(
    spent: reports.Spending | None, lang: str = "en", budgets: dict[str, Decimal] | None = None
) -> str:
    """The spending table with its budget column (empty where the category has none)."""
    w = i18n.csv_words(lang)
    if spent is None:
        return render([w["category"]], [])
    budgets = budgets or {}
    before = sum((b for _a, _n, b in spent.rows), reports.ZERO)
    rows: list[list[object]] = [[a, now, was, now - was, budgets.get(a, "")]
                                for a, now, was in spent.rows]  # fmt: skip
    rows.append([w["total"], spent.total, before, spent.total - before, ""])
    return render([w["category"], spent.month, spent.previous, w["change"], w["budget"]], rows)


def costs(skus: list[cogs.Sku], lang: str = "en") -> str:
    """The margin per SKU as the costs page shows it ("" where no cost is entered yet)."""
    w = i18n.csv_words(lang)

    def shown(value: object) -> object:
        return "" if value is None else value

    rows: list[list[object]] = [
        [s.title, s.label, s.sold, s.revenue, shown(s.cost), s.settled, s.settled_revenue,
         shown(s.cost_of_goods), shown(s.margin), shown(s.margin_pct)] for s in skus
    ]  # fmt: skip
    header = [w["item"], w["sku"], w["sold"], w["revenue"], w["cost"], w["settled_units"],
              w["settled_revenue"], w["cost_of_goods"], w["margin"], w["margin_pct"]]  # fmt: skip
    return render(header, rows)


def journal(rows: list[tuple[str, str, str, str, Decimal]], lang: str = "en") -> str:
    """The journal's postings: date, narration, the platform's id, account, amount."""
    w = i18n.csv_words(lang)
    return render([w["date"], w["narration"], w["platform_id"], w["account"], w["amount"]], rows)


def tags(month: str, split: list[tuple[str, Decimal, Decimal]], lang: str = "en") -> str:
    w = i18n.csv_words(lang)
    rows: list[list[object]] = [[a, n, x, n + x] for a, n, x in split]
    needed = sum((n for _a, n, _x in split), reports.ZERO)
    accidental = sum((x for _a, _n, x in split), reports.ZERO)
    rows.append([w["total"], needed, accidental, needed + accidental])
    header = [w["category_of"].format(month=month), w["necessary"], w["accidental"], w["total"]]
    return render(header, rows)


def reconciliation(result: reports.Reconciliation, lang: str = "en") -> str:
    w = i18n.csv_words(lang)
    rows: list[list[object]] = [
        [w["books"], "", result.day, "", result.books],
        [w["platform"], "", result.day, "", result.platform],
        [w["difference"], "", result.day, "", result.difference],
    ]
    rows += [[w["missing"], m.id, m.created_at.date().isoformat(), m.type,
              Decimal(m.amount.amount)] for m in result.missing]  # fmt: skip
    rows += [[w["differing"], m.id, m.created_at.date().isoformat(), m.type, booked]
             for m, booked in result.differing]  # fmt: skip
    rows += [[w["unexplained"], "", day, narration, amount]
             for day, narration, amount in result.unexplained]  # fmt: skip
    return render([w["line"], w["platform_id"], w["date"], w["type_or_narration"], w["amount"]],
                  rows)  # fmt: skip
