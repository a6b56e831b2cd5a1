"""README screenshots of the appointment book against the seeded demo data (Glow Bar).

    SQLITE_PATH=var/shots.sqlite3 .venv/bin/python manage.py migrate
    SQLITE_PATH=var/shots.sqlite3 .venv/bin/python manage.py seed_demo
    SQLITE_PATH=var/shots.sqlite3 SIMULATE=0 .venv/bin/daphne -p 8765 console.asgi:application &
    .venv/bin/python docs/screenshots/book_screenshots.py 2026-11-26 docs/screenshots --book

`--book` first books five more appointments that day through the console's own form.
"""

import sys

from playwright.sync_api import expect, sync_playwright

BASE = "http://127.0.0.1:8765"
DAY = sys.argv[1]  # a day after the demo's "today", where the demo has appointments
OUT = sys.argv[2]
EXTRA = [  # a fuller day, booked through the console's own form like the front desk would
    ("Priya", 10 * 60, "gel mani", "Sofia Reyes", "+1 415 555 0142"),
    ("Maya", 9 * 60 + 30, "colour", "Grace Lee", "+1 415 555 0188"),
    ("Leo", 14 * 60, "gents cut", "Tom Becker", "+1 415 555 0163"),
    ("Priya", 15 * 60, "brows", "Ava Brooks", "+1 415 555 0175"),
    ("Maya", 13 * 60 + 45, "blow dry", "Mia Chen", "+1 415 555 0191"),
]


def y_of(page, col, minute):
    start = int(page.locator("#book-grid").get_attribute("data-day-start"))
    length = int(page.locator("#book-grid").get_attribute("data-day-len"))
    return (minute - start) / length * col.bounding_box()["height"] + 3


with sync_playwright() as pw:
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{BASE}/accounts/login/")
    page.get_by_label("Email").fill("desk@glowbar.test")
    page.get_by_label("Password").fill("demo-pass-2026")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{BASE}/book/?date={DAY}")
    page.locator("#conn-status", has_text="Live").wait_for()
    if "--book" in sys.argv:
        for who, minute, service, name, phone in EXTRA:
            index = page.locator(".col-head").all_inner_texts().index(who)
            col = page.locator(".book-col").nth(index)
            col.click(position={"x": 30, "y": y_of(page, col, minute)})
            page.locator("#book-form").wait_for()
            page.get_by_label("Find a service").fill(service)
            page.wait_for_timeout(500)
            page.get_by_label("Name", exact=True).fill(name)
            page.get_by_label("Phone", exact=True).fill(phone)
            page.get_by_role("button", name="Book", exact=True).click()
            page.get_by_test_id("panel-notice").wait_for()
        page.goto(f"{BASE}/book/?date={DAY}")
        page.locator("#conn-status", has_text="Live").wait_for()
    page.locator(".book-scroll").evaluate("el => el.scrollTop = 0")
    page.locator(".appt").first.click()
    page.get_by_test_id("reference").wait_for()
    page.wait_for_timeout(300)
    page.screenshot(path=f"{OUT}/day-view.png")
    # The booking form: tap a free time in Maya's column, search a service by how it's said.
    index = page.locator(".col-head").all_inner_texts().index("Priya")
    col = page.locator(".book-col").nth(index)
    col.click(position={"x": 30, "y": y_of(page, col, 11 * 60 + 30)})
    page.locator("#book-form").wait_for()
    page.get_by_label("Find a service").fill("gel mani")
    expect(page.locator("#service-options label").first).to_contain_text("Gel Manicure")
    page.get_by_label("Find a customer by phone or name").fill("oliv")
    page.locator("#customer-results button").first.wait_for()
    page.wait_for_timeout(300)
    page.screenshot(path=f"{OUT}/booking-form.png")
    browser.close()
