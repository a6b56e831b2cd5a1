"""README screenshots (1440x900) of the real console against the seeded demo data, served by
the production server the way `make run` serves it (gunicorn, one uvicorn worker):

    mkdir -p var
    export SQLITE_PATH=var/shots.sqlite3
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo
    SIMULATE=0 PORT=8765 WEB_CONCURRENCY=1 \\
        .venv/bin/gunicorn -c deploy/gunicorn.conf.py console.asgi:application &
    # wait for http://127.0.0.1:8765/healthz (the analysis model loads first, ~10 s)
    .venv/bin/python docs/screenshots/book_screenshots.py 2026-12-02 docs/screenshots --book --live
    kill %1; rm var/shots.sqlite3*

DAY is a day after the demo's "today" (seed_demo books the next seven days). `--book` first
books five more appointments that day through the console's own form, as the front desk
would. `--live` plays calls to Harbor Clinic through the real ingest endpoint
(`manage.py simulate_calls`, same SQLITE_PATH) while the live page is shot, and keeps the
review page for one of them; without it the live and review shots use whatever calls exist.
The first-day shot signs up a new trial business through /trial/, so run it on a throwaway
database. Shots: day-view, booking-form, client-card, live-calls, review, first-day.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

BASE = "http://127.0.0.1:8765"
PASSWORD = "demo-pass-2026"  # noqa: S105 (seed_demo's public demo password)
ROOT = Path(__file__).resolve().parents[2]
EXTRA = [  # a fuller day, booked through the console's own form like the front desk would
    ("Priya", 10 * 60, "gel mani", "Sofia Reyes", "+1 415 555 0142"),
    ("Maya", 9 * 60 + 30, "colour", "Grace Lee", "+1 415 555 0188"),
    ("Leo", 14 * 60, "gents cut", "Tom Becker", "+1 415 555 0163"),
    ("Priya", 15 * 60, "brows", "Ava Brooks", "+1 415 555 0175"),
    ("Maya", 13 * 60 + 45, "blow dry", "Mia Chen", "+1 415 555 0191"),
]

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("day", help="YYYY-MM-DD, a day of the demo book with appointments")
parser.add_argument("out", help="directory for the PNGs")
parser.add_argument("--book", action="store_true", help="book five more appointments first")
parser.add_argument("--live", action="store_true", help="play calls during the live shot")
args = parser.parse_args()
OUT = Path(args.out)


def y_of(page: Page, col, minute: int) -> float:
    start = int(page.locator("#book-grid").get_attribute("data-day-start"))
    length = int(page.locator("#book-grid").get_attribute("data-day-len"))
    return (minute - start) / length * col.bounding_box()["height"] + 3


def sign_in(page: Page, email: str) -> None:
    page.goto(f"{BASE}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def shot(page: Page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(400)  # htmx settle and CSS transitions
    page.screenshot(path=str(OUT / f"{name}.png"))
    print(f"{OUT / name}.png")


def front_desk(browser) -> None:
    """Glow Bar's front desk: the book, the booking form, a client's card."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    sign_in(page, "desk@glowbar.test")
    page.goto(f"{BASE}/book/?date={args.day}")
    page.locator("#conn-status", has_text="Live").wait_for()
    if args.book:
        for who, minute, service, name, phone in EXTRA:
            index = page.locator(".col-head").all_inner_texts().index(who)
            col = page.locator(".book-col").nth(index)
            col.click(position={"x": 30, "y": y_of(page, col, minute)})
            page.locator("#book-form").wait_for()
            page.get_by_label("Find a service").fill(service)
            page.wait_for_timeout(500)
            page.locator("#service-options input").first.check()
            page.get_by_label("Name", exact=True).fill(name)
            page.get_by_label("Phone", exact=True).fill(phone)
            page.get_by_role("button", name="Book", exact=True).click()
            page.get_by_test_id("panel-notice").wait_for()
        page.goto(f"{BASE}/book/?date={args.day}")
        page.locator("#conn-status", has_text="Live").wait_for()
    page.locator(".book-scroll").evaluate("el => el.scrollTop = 0")
    page.locator(".appt").first.click()
    page.get_by_test_id("reference").wait_for()
    shot(page, "day-view")
    # The booking form: tap a free time in Priya's column, search a service by how it's said.
    index = page.locator(".col-head").all_inner_texts().index("Priya")
    col = page.locator(".book-col").nth(index)
    col.click(position={"x": 30, "y": y_of(page, col, 11 * 60 + 30)})
    page.locator("#book-form").wait_for()
    page.get_by_label("Find a service").fill("gel mani")
    expect(page.locator("#service-options label").first).to_contain_text("Gel Manicure")
    page.get_by_label("Find a customer by phone or name").fill("oliv")
    page.locator("#customer-results button").first.wait_for()
    shot(page, "booking-form")
    # A client's card, opened from the client list.
    page.goto(f"{BASE}/clients/")
    page.get_by_role("link", name="Olivia Bennett").click()
    page.wait_for_url("**/clients/*/")
    shot(page, "client-card")
    context.close()


def clinic_owner(browser) -> None:
    """Harbor Clinic's owner: live calls while calls come in, then one call's review."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    sign_in(page, "owner@harborclinic.test")
    page.goto(f"{BASE}/calls/live/")
    page.locator("#conn-status", has_text="Live").wait_for()
    simulator = None
    if args.live:
        argv = [sys.executable, "manage.py", "simulate_calls", "--url", BASE]
        argv += ["--business", "harbor-clinic", "--calls", "4", "--concurrency", "2"]
        simulator = subprocess.Popen(  # noqa: S603 (a fixed command line)
            argv,
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
        )
    try:
        # Best frame: a call in progress that has said something, and an open alert.
        deadline = time.monotonic() + (120 if args.live else 5)
        while time.monotonic() < deadline:
            talking = page.locator("#live-calls .call-card .speaker").count()
            alerts = page.locator("#attention-list li").count()
            if talking and alerts:
                break
            page.wait_for_timeout(500)
        shot(page, "live-calls")
    finally:
        if simulator is not None:
            try:
                simulator.wait(timeout=240)  # its calls end and are analysed
            except subprocess.TimeoutExpired:
                simulator.terminate()
                simulator.wait()
    # The review page of the latest escalated call (any call when none escalated).
    page.goto(f"{BASE}/calls/?escalated=yes")
    rows = page.locator("table a[href^='/calls/']")
    if not rows.count():
        page.goto(f"{BASE}/calls/")
    page.locator("table a[href^='/calls/']").first.click()
    page.wait_for_url("**/calls/*/")
    shot(page, "review")
    context.close()


def new_business(browser) -> None:
    """A prospect signs up a trial and lands on the first-day checklist."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(f"{BASE}/trial/")
    page.get_by_label("Business name").fill("Juniper Nails")
    page.get_by_label("Kind of business").select_option("salon")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_label("Your name").fill("June Park")
    page.get_by_label("Email").fill("june@junipernails.test")
    page.get_by_label("Password", exact=True).fill("lacquer-and-light-77")
    page.get_by_role("button", name="Start my free trial").click()
    page.wait_for_url("**/start/")
    shot(page, "first-day")
    context.close()


with sync_playwright() as pw:
    browser = pw.chromium.launch(
        executable_path="/usr/bin/chromium", args=["--no-sandbox", "--headless"]
    )
    front_desk(browser)
    clinic_owner(browser)
    new_business(browser)
    browser.close()
