"""Admin routes for bodies: the tree of the admin's bodies, new bodies below them, and where
each concern category goes. Everything outside the admin's subtree is refused (403)."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.domain.bodies import parse_ranks
from portal.domain.cases import Category
from portal.domain.staff import StaffRole
from portal.services import bodies as body_service
from portal.services import staff_admin
from portal.web import confirm, labels
from portal.web.admin import bp
from portal.web.admin.forms import DefaultBodyForm, NewBodyForm, RouteForm
from portal.web.body_labels import KINDS, LEVELS, RANKS
from portal.web.errors import error_page
from portal.web.refusals import REFUSED, refusal, show_on
from portal.web.staff import roles_required


def tree_choices(tree: list[staff_admin.BodyRow]) -> list[SelectChoice]:
    """The admin's bodies as a select offers them: each below its parent, indented by depth."""
    return [SelectChoice(row.body.id, "\u3000" * row.depth + row.body.name) for row in tree]


def refused_page(exc: Exception):
    """The error page of a refusal (an account or body outside the admin's), as a response."""
    refused = refusal(exc)
    page, status = error_page(refused.status, message=refused.message)
    return make_response(page, status)


def _body_form(form: NewBodyForm | None = None) -> NewBodyForm:
    """The new-body form, offering the admin's bodies as the one above it."""
    form = form or NewBodyForm()
    tree = staff_admin.body_tree(current_user.user)
    form.parent.choices = tree_choices(tree)
    if form.parent.data is None:
        form.parent.data = current_user.user.body_id
    return form


def _route_forms(failed: RouteForm | None = None) -> list[tuple[str, object, RouteForm | None, str | None]]:
    """Each concern category: its words, where it goes now, and a form when the admin may change it."""
    admin = current_user.user
    tree = staff_admin.body_tree(admin)
    mine = {row.body.id: row.body.name for row in tree}
    receiving = tree_choices([row for row in tree if row.has_escrow])
    rows = []
    for category in Category:
        routed = staff_admin.routed_body(category.value)
        form = None
        if routed in mine and receiving:
            if failed is not None and failed.category.data == category.value:
                form = failed
            else:
                form = RouteForm(formdata=None, category=category.value, body=routed)
            form.body.choices = receiving
        rows.append((category.value, labels.CATEGORIES[category], form, mine.get(routed) if routed else None))
    return rows


def _bodies_page(
    body_form: NewBodyForm | None = None,
    route_form: RouteForm | None = None,
    status: int = 200,
    default_form: DefaultBodyForm | None = None,
):
    return render_template(
        "admin/bodies.html",
        tree=staff_admin.body_tree(current_user.user),
        form=_body_form(body_form),
        routes=_route_forms(route_form),
        kinds=KINDS,
        levels=LEVELS,
        ranks=RANKS,
        parse_ranks=parse_ranks,
        default_form=_default_form(default_form),
    ), status


@bp.get("/bodies")
@roles_required(StaffRole.ADMIN)
def bodies():
    return _bodies_page()


@bp.post("/bodies")
@roles_required(StaffRole.ADMIN)
def create_body():
    form = _body_form()
    if form.validate():
        try:
            staff_admin.create_body(
                current_user.user,
                form.name.data,
                form.short_name.data,
                form.kind.data,
                form.level.data,
                form.ranks.data or [],
                form.parent.data,
                name_public=form.name_public.data,
            )
        except REFUSED as exc:
            if refusal(exc).status == 403:
                return refused_page(exc)
            return _bodies_page(form, status=show_on(form, exc, "name"))
        flash(_("The body was created. It receives cases once its supervisors set its escrow key."))
        return redirect(url_for("admin.bodies"), code=303)
    return _bodies_page(form, status=400)


@bp.post("/bodies/routes")
@roles_required(StaffRole.ADMIN)
def route_category():
    form = RouteForm()
    form.body.choices = [SelectChoice(row.body.id, row.body.name) for row in staff_admin.body_tree(current_user.user)]
    if form.validate():
        try:
            staff_admin.route_category(current_user.user, form.category.data or "", form.body.data)
        except REFUSED as exc:
            if refusal(exc).status == 403:
                return refused_page(exc)
            return _bodies_page(route_form=form, status=show_on(form, exc, "body"))
        flash(_("Saved: new concerns of this category go to the body chosen, unless the cadre chose another."))
        return redirect(url_for("admin.bodies"), code=303)
    return _bodies_page(route_form=form, status=400)


# -- h11x: the default body --


def _default_form(form: DefaultBodyForm | None = None) -> DefaultBodyForm | None:
    """The form that moves the default, offering the admin's bodies; None when the default is not theirs."""
    admin = current_user.user
    if not staff_admin.may_change_default(admin):
        return None
    if form is None:
        form = DefaultBodyForm(formdata=None)
    form.body.choices = tree_choices(staff_admin.body_tree(admin))
    if form.body.data is None:
        form.body.data = body_service.default_id()
    return form


@bp.post("/bodies/default")
@roles_required(StaffRole.ADMIN)
def make_default():
    """Make another of the admin's bodies the default, after a confirmation naming both."""
    if confirm.revising():
        return redirect(url_for("admin.bodies", _anchor="default"), code=303)
    form = DefaultBodyForm()
    form.body.choices = tree_choices(staff_admin.body_tree(current_user.user))
    if not form.validate():
        return _bodies_page(status=400, default_form=form)
    try:
        if confirm.pending("make_default_body"):
            old, new = staff_admin.default_change(current_user.user, form.body.data)
            review = [(_("Default body now"), old.name if old else ""), (_("New default body"), new.name)]
            return confirm.page("make_default_body", review, staff=True)
        staff_admin.make_default(current_user.user, form.body.data, form.form_token.data)
    except REFUSED as exc:
        if refusal(exc).status == 403:
            return refused_page(exc)
        return _bodies_page(status=show_on(form, exc, "body"), default_form=form)
    flash(_("Saved: the body chosen is the default from now on."))
    return redirect(url_for("admin.bodies"), code=303)
