"""No translated string carries markup into a page: translations are text, escaped like any other."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import get_translations, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import StringField

from tests.web.review.test_clarification_plan import found_false

HINT_ESCAPED = {
    "zh_CN": "可用格式：&lt;p&gt; &lt;br&gt; &lt;strong&gt;",
    "en": "Allowed formatting: &lt;p&gt; &lt;br&gt; &lt;strong&gt;",
}


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_plan_page_shows_the_formatting_hint_as_text(app, cadre, staff, language):
    _receipt, case_id, reviewer, _chief, _deputy = found_false(app, cadre, staff)
    reviewer.client.get(f"/lang/{language}")
    page = reviewer.get(f"/review/cases/{case_id}/plan").get_data(as_text=True)
    assert HINT_ESCAPED[language] in page
    assert "<p> <br> <strong>" not in page and "<em> <ul>" not in page


class _Form(FlaskForm):
    name = StringField(lazy_gettext("Probe label zm"))


@pytest.fixture
def marked_up_translation(app):
    """Give two msgids a translation with markup, as a careless or hostile translator might."""
    with app.test_request_context():
        catalog = get_translations()._catalog  # noqa: SLF001
        added = {"Probe zm": "<b>bold</b> %(who)s", "Probe label zm": "<i>label</i>"}
        catalog.update(added)
        yield
        for key in added:
            catalog.pop(key, None)


def test_a_translation_with_markup_is_escaped_in_templates_and_lazy_strings(app, marked_up_translation):
    with app.test_request_context():
        html = render_template_string(
            "{{ _('Probe zm', who='<script>x</script>') }}|{{ lazy }}|{{ form.name.label }}",
            lazy=lazy_gettext("Probe label zm"),
            form=_Form(meta={"csrf": False}),
        )
    assert "<b>" not in html and "<i>" not in html and "<script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;x&lt;/script&gt;" in html
    assert html.count("&lt;i&gt;label&lt;/i&gt;") == 2


def test_markup_in_an_untranslated_msgid_is_escaped_too(app):
    with app.test_request_context():
        html = render_template_string("{{ _('<b>not a tag</b>') }}{{ gettext('<u>x</u>') }}")
    assert html == "&lt;b&gt;not a tag&lt;/b&gt;&lt;u&gt;x&lt;/u&gt;"
