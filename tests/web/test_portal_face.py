"""What a cadre and a search engine learn before anything else: who runs the portal, what it is, what to index."""

from __future__ import annotations

import re


def test_the_landing_page_names_who_runs_it_and_how_to_reach_them(app, client):
    app.config["OPERATOR_NAME"] = "青山县纪委监委"
    app.config["OPERATOR_CONTACT"] = "青山县人民路1号；电话12388"
    client.set_cookie("zm_lang", "zh_CN")
    html = client.get("/").get_data(as_text=True)
    assert "本平台由青山县纪委监委运行。" in html
    assert html.index("本平台由青山县纪委监委运行。") < html.index('class="ways"')  # before any way in
    assert "其他联系方式" in html and "青山县人民路1号；电话12388" in html


def test_a_deployment_that_names_nobody_says_so(app, client):
    app.config["OPERATOR_NAME"] = ""
    app.config["OPERATOR_CONTACT"] = ""
    client.set_cookie("zm_lang", "en")
    html = client.get("/").get_data(as_text=True)
    assert "This deployment has not said which body runs it." in html
    assert "Other ways to reach them" not in html


def test_the_operator_name_is_text_not_markup(app, client):
    app.config["OPERATOR_NAME"] = "<script>alert(1)</script>"
    html = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_pages_carry_a_meta_description(client):
    for path in ("/", "/notices", "/submit/concern"):
        html = client.get(path).get_data(as_text=True)
        description = re.search(r'<meta name="description" content="([^"]+)">', html)
        assert description and len(description.group(1)) > 10, path


def test_robots_let_the_notices_be_indexed_and_keep_everything_else_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    rules = [line.split(":", 1) for line in response.get_data(as_text=True).splitlines() if ":" in line]
    rules = [(k.strip().lower(), v.strip()) for k, v in rules]
    assert ("user-agent", "*") in rules
    assert ("allow", "/notices") in rules and ("disallow", "/") in rules
