"""The demo's books app: registered by Dana, listed with plans, installed in Mei's Closet, used.

The app is its own process (apps/books). This module does what the developer and Mei would do by
hand: register and list it, install it from the market, authorize it over HTTP; then, as Mei in
the embedded app, import three months of her Alipay statement (a GBK file, as Alipay exports
it), enter her SKUs' purchase costs and her monthly rent, so the reports have months to show.
Every step is idempotent: a second import books nothing, a cost is set again to the same value,
the rent is added only once.
"""

import random
import re
import time
from datetime import date, timedelta
from decimal import Decimal

import httpx

from emporium.demo.listed_app import (
    AppCredentials,
    authorize_over_http,
    install_from_market,
    open_embedded,
    register_listed_app,
    serve_command,
    wait_for,
)
from emporium.lib import clock
from emporium.market import listings
from emporium.market.models import Listing
from emporium.shops.models import Shop

APP_NAME = "Books"
SCOPES = ["shop:read", "orders:read", "finance:read"]
# A household member may connect the app as a buyer: it reads their orders to book purchases.
BUYER_SCOPES = ["buyer:orders:read"]
TOPICS = ["balance.transaction_created", "balance.withdrawal_created", "order.paid",
          "order.cancelled", "order.settled", "order.refunded", "app.uninstalled",
          "app.erasure_requested"]  # fmt: skip
INSTALL_FOR = {"mei": "Free"}
# A small seller's month on Alipay: (payee, memo, yuan, the category Mei picks when no rule does)
MONTH = [
    ("顺丰速运", "快递费", "23.00", ""), ("义乌纸箱厂", "纸箱 50 个", "85.50", ""),
    ("1688 批发", "夏季连衣裙 进货", "1280.00", ""), ("美团外卖", "午饭", "32.80", ""),
    ("全家便利店", "咖啡", "9.90", ""), ("中国移动", "话费充值", "50.00", ""),
    ("巨量引擎", "推广充值", "200.00", ""), ("盒马鲜生", "买菜", "126.40", "Expenses:Personal:Food"),
    ("优衣库", "T 恤", "99.00", "Expenses:Personal:Shopping"),
]  # fmt: skip
MONTHS = 3
BACKFILL_WAIT = 120.0  # seconds; Mei's few months take a few


def register_books_app(books_url: str) -> AppCredentials:
    """Dana's app, its approved listing with plans and its webhook endpoint; a re-run reuses them."""
    return register_listed_app(
        APP_NAME,
        prefix="BOOKS",
        app_url=books_url,
        scopes=SCOPES,
        extra_scopes=BUYER_SCOPES,
        topics=TOPICS,
        listing=dict(
            summary_en="Books that keep themselves: sales, fees and withdrawals booked for you; "
            "expenses in seconds; monthly profit and loss.",
            summary_zh="自动记账：销售、佣金和提现自动入账，几秒记一笔支出，每月利润一目了然。",
            description_en="Every settlement, commission, app charge and withdrawal becomes a "
            "double-entry transaction by itself. Type a day's expenses by keyboard, set up your "
            "rent once, import your bank or Alipay statement (GBK or UTF-8). Enter each SKU's cost "
            "and see your gross margin; profit and loss by month, the balance sheet, and a "
            "reconciliation against your platform balance. Shop and household side by side. "
            "Exports to beancount. Free up to 200 transactions a month; Pro beyond.",
            description_zh="每笔结算、佣金、应用扣费和提现都会自动记成复式分录。用键盘快速记下每天的"
            "支出，房租只需设置一次，可导入银行或支付宝账单（GBK 或 UTF-8）。填写每个 SKU 的成本即可"
            "看到毛利率；按月的利润表、资产负债表，以及与平台余额的对账。店铺和家庭账本并列。可导出为 "
            "beancount。每月 200 笔以内免费，超出请用专业版。",
            category=Listing.Category.FINANCE,
            install_url=f"{books_url}/install",
            app_url=f"{books_url}/app",
            plans=[
                listings.PlanSpec(name="Free", kind="free"),
                listings.PlanSpec(
                    name="Pro", kind="monthly", price_amount=Decimal("19.00"), trial_days=30
                ),  # fmt: skip
            ],
        ),
    )


def market_installs() -> list[Shop]:
    """Install the app from the market in the demo shops (skipping those that have it)."""
    return install_from_market(APP_NAME, INSTALL_FOR)


def statement(today: date, months: int = MONTHS, seed: int = 17) -> bytes:
    """Mei's Alipay statement of the last `months` months, as Alipay exports it (GBK)."""
    rng = random.Random(seed)
    lines = ["支付宝交易记录明细查询", "账号:[mei@example.cn]",
             "交易号,交易创建时间,交易对方,商品名称,金额（元）,收/支,交易状态"]  # fmt: skip
    first = (today.replace(day=1) - timedelta(days=28 * months)).replace(day=1)
    n = 0
    for month in range(months):
        start = (first + timedelta(days=32 * month)).replace(day=1)
        for payee, memo, amount, _choice in MONTH:
            day = start + timedelta(days=rng.randrange(27))
            if day >= today:
                continue
            n += 1
            lines.append(f"{day:%Y%m%d}2200{n:08d},{day} {rng.randrange(8, 22):02d}:15:00,"
                         f"{payee},{memo},{amount},支出,交易成功")  # fmt: skip
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def _view_pass(platform_url: str, username: str) -> str:
    return open_embedded(APP_NAME, username, platform_url)[1]


def wait_for_backfill(app: httpx.Client, view_pass: str, seconds: float = BACKFILL_WAIT) -> None:
    """Until the app has booked the shop's history (its progress bar gone): the SKUs sold in
    past months are on the costs page only then."""
    deadline = time.monotonic() + seconds
    while 'id="backfill"' in app.get("/home", params={"pass": view_pass}).text:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the books app's backfill took more than {seconds:.0f} s")
        time.sleep(0.5)


def last_month(app: httpx.Client, view_pass: str, today: date) -> str:
    """Last month's card on the app's home page, as the seller reads it: sales, profit, margin."""
    month = f"{today.replace(day=1) - timedelta(days=1):%Y-%m}"
    home = app.get("/home", params={"pass": view_pass, "lang": "en"}).text
    card = re.search(rf"<h2>{month}</h2>(.*?)</div>", home, re.S)
    body = card.group(1) if card else ""
    income = re.search(r'data-figure="income">(?:<a [^>]*>)?([-\d.]+)<', body)
    profit = re.search(r'data-figure="profit">(?:<a [^>]*>)?([-\d.]+)<', body)
    margin = re.search(r"<dd>([-\d.]+)%</dd>", body)
    return (f"{month}: income {income.group(1) if income else '?'}, "
            f"profit {profit.group(1) if profit else '?'}, "
            f"gross margin {margin.group(1) + '%' if margin else 'none'}")  # fmt: skip


def keep_books(platform_url: str, books_url: str, username: str, today: date) -> tuple[int, str]:
    """As the seller in the app: once the backfill is done, import the statement, enter costs
    and the rent. Rows booked, and last month as the home page shows it."""
    view_pass = _view_pass(platform_url, username)
    choices = {payee: choice for payee, _memo, _amount, choice in MONTH if choice}
    with httpx.Client(base_url=books_url, timeout=120) as app:
        wait_for_backfill(app, view_pass)
        preview = app.post("/import", data={"pass": view_pass, "account": "Assets:Personal:Alipay"},
                           files={"statement": ("alipay.csv", statement(today), "text/csv")})  # fmt: skip
        preview.raise_for_status()
        upload = re.search(r'name="upload" value="(\d+)"', preview.text)
        rows = re.findall(r'<tr data-row="(\d+)"><td>\d+</td><td>[^<]*</td><td>([^<]*)</td>',
                          preview.text)  # fmt: skip
        form = {"pass": view_pass, "upload": upload.group(1) if upload else ""}
        form |= {f"row_{n}": choices[payee] for n, payee in rows if payee in choices}
        done = app.post("/import", data=form)
        booked = re.search(r'data-figure="booked">(\d+)<', done.text)
        costs = app.get("/costs", params={"pass": view_pass, "month": "all"}).text
        entered = {"pass": view_pass}
        for sold, revenue, sku in re.findall(
            r'<td class="num">(\d+)</td><td class="num">([\d.]+)</td>\s*<td><input name="sku_(\d+)"',
            costs,
        ):
            unit = Decimal(revenue) / max(int(sold), 1) * Decimal("0.45")
            entered[f"sku_{sku}"] = str(unit.quantize(Decimal("0.01")))
        app.post("/costs", data=entered)
        recurring = app.get("/recurring", params={"pass": view_pass}).text
        if "房租" not in recurring:
            app.post("/recurring", data={"pass": view_pass, "name": "房租", "day_of_month": "1",
                                         "amount": "2800.00", "account": "Expenses:Personal:Rent",
                                         "pay_from": "Assets:Personal:Bank"})  # fmt: skip
        summary = last_month(app, view_pass, today)
    return (int(booked.group(1)) if booked else 0), summary


def command(port: int) -> list[str]:
    return serve_command("emporium_books", port)


def connect(platform_url: str, books_url: str, stop, say) -> None:
    """Once both servers answer: authorize the app for each demo seller, then keep the books."""
    if not (wait_for(f"{platform_url}/", stop) and wait_for(f"{books_url}/healthz", stop)):
        say("the books app did not start; the demo runs without it")
        return
    for username in INSTALL_FOR:
        try:
            authorize_over_http(platform_url, books_url, username, app="books")
            booked, summary = keep_books(platform_url, books_url, username, clock.now().date())
            say(f"books app installed for {username}: {booked} statement rows imported; "
                f"last month {summary}")  # fmt: skip
        except (httpx.HTTPError, RuntimeError) as error:
            say(f"could not set up the books app for {username}: {error}")
