"""Weight of every page of the cadre's side (HTML + CSS), raw and gzipped; prints a table.

.venv/bin/python -m bench.page_weight
"""

from __future__ import annotations

import gzip
import re
import tempfile

from flask_migrate import upgrade

from portal import create_app
from portal.extensions import db
from portal.services import accounts


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3"}, config_name="testing")
        with app.app_context():
            upgrade()
            accounts.create_escrow("bench escrow passphrase")
        client = app.test_client()

        def tokens(path: str) -> dict:
            html = client.get(path).get_data(as_text=True)
            return dict(re.findall(r'name="(csrf_token|form_token)" type="hidden" value="([^"]*)"', html))

        pages = {p: client.get(p).data for p in ("/", "/submit/concern", "/submit/clarification", "/followup")}
        data = {
            **tokens("/submit/concern"),
            "category": "workload",
            "subject": "基层负担",
            "description": "每周三次检查。",
        }
        receipt_page = client.post("/submit/concern", data=data, follow_redirects=True).data  # POST, redirect, GET
        pages["receipt"] = receipt_page
        receipt = re.search(rb'class="receipt">([\d ]+)<', receipt_page).group(1).decode()
        client.post("/followup", data={**tokens("/followup"), "receipt": receipt})
        pages["/followup/status"] = client.get("/followup/status").data
        pages["404"] = client.get("/nope").data
        css = client.get("/static/site.css").data
        print(f"{'page':<24}{'HTML':>8}{'+CSS':>8}{'gzip':>8}")
        for name, html in pages.items():
            total = len(html) + len(css)
            zipped = len(gzip.compress(html)) + len(gzip.compress(css))
            print(f"{name:<24}{len(html):>8}{total:>8}{zipped:>8}")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
