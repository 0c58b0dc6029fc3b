"""Admin routes: accounts (create, disable, enable, reset) and the audit log.

An admin sees and changes the accounts of their body and the bodies below it; a change to
any other account is refused through the error table (403) before anything changes.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.domain.bodies import parse_ranks
from portal.domain.cases import Category
from portal.domain.staff import StaffRole
from portal.services import audit_log, staff_admin
from portal.services.accounts import InvalidAccount
from portal.services.audit_log import AuditFilter
from portal.services.bodies import all_bodies
from portal.services.errors import UsernameTaken
from portal.services.staff_admin import NoSuchAccount, NotOnYourself
from portal.web import confirm, labels
from portal.web.admin import bp
from portal.web.admin.audit_words import audit_detail
from portal.web.admin.forms import (
    ROLE_LABELS,
    AccountActionForm,
    AuditFilterForm,
    NewAccountForm,
    NewBodyForm,
    RouteForm,
)
from portal.web.body_labels import KINDS, LEVELS, RANKS
from portal.web.errors import error_page
from portal.web.refusals import REFUSED, refusal, show_on
from portal.web.request_checks import parse_id
from portal.web.review.auth_forms import EmptyForm
from portal.web.staff import roles_required


def _tree_choices(tree: list[staff_admin.BodyRow]) -> list[SelectChoice]:
    """The admin's bodies as a select offers them: each below its parent, indented by depth."""
    return [SelectChoice(row.body.id, "\u3000" * row.depth + row.body.name) for row in tree]


def _account_form() -> NewAccountForm:
    """The new-account form, offering the admin's bodies and the supervisors and leaders in them."""
    admin = current_user.user
    form = NewAccountForm()
    tree = staff_admin.body_tree(admin)
    names = {row.body.id: row.body.name for row in tree}
    form.body.choices = _tree_choices(tree)
    if form.body.data is None:
        form.body.data = admin.body_id
    form.supervisor.choices = [SelectChoice("", _("None: the body's supervisors"))] + [
        SelectChoice(
            chief.id,
            _("%(name)s (%(role)s)", name=chief.username, role=ROLE_LABELS[chief.role]),
            optgroup=names.get(chief.body_id),
        )
        for chief in staff_admin.supervisor_choices(admin)
    ]
    return form


def _accounts_page(form: NewAccountForm, status: int = 200):
    admin = current_user.user
    names = {row.body.id: row.body.name for row in staff_admin.body_tree(admin)}
    users = staff_admin.all_accounts(admin)
    return render_template(
        "admin/accounts.html",
        users=users,
        usernames={u.id: u.username for u in users},
        roles=ROLE_LABELS,
        body_names=names,
        form=form,
        button=EmptyForm(),
    ), status


@bp.get("")
@roles_required(StaffRole.ADMIN)
def accounts():
    return _accounts_page(_account_form())


#: Which field an InvalidAccount from accounts.create_user belongs to, by the start of its message.
_ACCOUNT_FIELDS = {"supervisor": "supervisor", "body": "body", "role": "role"}


@bp.post("/accounts")
@roles_required(StaffRole.ADMIN)
def create():
    form = _account_form()
    if form.validate():
        try:
            password = staff_admin.create(
                current_user.user, form.username.data, form.role.data, form.body.data, form.supervisor.data
            )
        except UsernameTaken:
            form.username.errors = [_("This username is taken.")]
        except InvalidAccount as exc:
            field = _ACCOUNT_FIELDS.get(str(exc).split(":")[0].split(" ")[0], "username")
            words = {
                "supervisor": _("Choose a supervisor or leader of the same body, and only for a reviewer."),
                "body": _("Choose one of the bodies listed."),
                "role": _("Choose one of the roles listed."),
            }
            getattr(form, field).errors = [words.get(field, _("Lower-case letters, digits, dot, dash and underscore."))]
        except REFUSED as exc:
            return _refused(exc)
        else:
            return render_template("admin/password_once.html", username=form.username.data, password=password)
    return _accounts_page(form, 400)


def _account_action(user_id: int, action):
    """Run an account change; CSRFProtect has already checked the token."""
    try:
        return action(current_user.user, user_id)
    except NoSuchAccount:
        abort(404)
    except NotOnYourself:
        flash(_("You cannot do this to your own account."))
        return None
    except REFUSED as exc:
        abort(_refused(exc))


def _refused(exc: Exception):
    """The error page of a refusal (an account or body outside the admin's), as a response."""
    refused = refusal(exc)
    page, status = error_page(refused.status, message=refused.message)
    return make_response(page, status)


def _confirmation(user_id: int, step: str):
    """Ask before a disable or reset, naming the account; None when the step cannot happen to it."""
    user = _account_action(user_id, staff_admin.target)
    if user is None:
        return None
    return confirm.page(
        step, [(_("Account"), user.username), (_("Role"), ROLE_LABELS.get(user.role, user.role))], staff=True
    )


@bp.post("/accounts/<int:user_id>/disable")
@roles_required(StaffRole.ADMIN)
def disable(user_id: int):
    form = AccountActionForm()
    if confirm.revising():
        return redirect(url_for("admin.accounts"), code=303)
    if confirm.pending("disable_account"):
        return _confirmation(user_id, "disable_account") or redirect(url_for("admin.accounts"), code=303)
    _account_action(user_id, lambda admin, uid: staff_admin.set_disabled(admin, uid, True, form.form_token.data))
    return redirect(url_for("admin.accounts"), code=303)


@bp.post("/accounts/<int:user_id>/enable")
@roles_required(StaffRole.ADMIN)
def enable(user_id: int):
    form = AccountActionForm()
    _account_action(user_id, lambda admin, uid: staff_admin.set_disabled(admin, uid, False, form.form_token.data))
    return redirect(url_for("admin.accounts"), code=303)


@bp.post("/accounts/<int:user_id>/reset")
@roles_required(StaffRole.ADMIN)
def reset(user_id: int):
    form = AccountActionForm()
    if confirm.revising():
        return redirect(url_for("admin.accounts"), code=303)
    if confirm.pending("reset_account"):
        return _confirmation(user_id, "reset_account") or redirect(url_for("admin.accounts"), code=303)
    password = _account_action(user_id, lambda admin, uid: staff_admin.reset(admin, uid, form.form_token.data))
    if password is None:
        return redirect(url_for("admin.accounts"), code=303)
    name = _account_action(user_id, lambda _admin, uid: staff_admin.username(uid))
    return render_template("admin/password_once.html", username=name, password=password, reset=True)


def _body_form(form: NewBodyForm | None = None) -> NewBodyForm:
    """The new-body form, offering the admin's bodies as the one above it."""
    form = form or NewBodyForm()
    tree = staff_admin.body_tree(current_user.user)
    form.parent.choices = _tree_choices(tree)
    if form.parent.data is None:
        form.parent.data = current_user.user.body_id
    return form


def _route_forms(failed: RouteForm | None = None) -> list[tuple[str, object, RouteForm | None, str | None]]:
    """Each concern category: its words, where it goes now, and a form when the admin may change it."""
    admin = current_user.user
    tree = staff_admin.body_tree(admin)
    mine = {row.body.id: row.body.name for row in tree}
    receiving = _tree_choices([row for row in tree if row.has_escrow])
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


def _bodies_page(body_form: NewBodyForm | None = None, route_form: RouteForm | None = None, status: int = 200):
    return render_template(
        "admin/bodies.html",
        tree=staff_admin.body_tree(current_user.user),
        form=_body_form(body_form),
        routes=_route_forms(route_form),
        kinds=KINDS,
        levels=LEVELS,
        ranks=RANKS,
        parse_ranks=parse_ranks,
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
                return _refused(exc)
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
                return _refused(exc)
            return _bodies_page(route_form=form, status=show_on(form, exc, "body"))
        flash(_("Saved: new concerns of this category go to the body chosen, unless the cadre chose another."))
        return redirect(url_for("admin.bodies"), code=303)
    return _bodies_page(route_form=form, status=400)


def _audit_form() -> AuditFilterForm:
    """The filter form with every account and every recorded action offered by name."""
    form = AuditFilterForm(request.args)
    names = sorted(staff_admin.names_by_id().values())
    form.actor.choices = [SelectChoice("", _("Anyone"))] + [SelectChoice(n, n) for n in names]
    codes = list(labels.AUDIT_ACTIONS) + sorted(set(audit_log.action_codes()) - set(labels.AUDIT_ACTIONS))
    form.action.choices = [SelectChoice("", _("Any action"))] + [SelectChoice(c, labels.audit_action(c)) for c in codes]
    return form


@bp.get("/audit")
@roles_required(StaffRole.ADMIN)
def audit():
    if not staff_admin.reads_audit_log(current_user.user):
        return error_page(
            403,
            message=_(
                "The audit log covers every body of the deployment: only an administrator of a top body reads it."
            ),
        )
    form = _audit_form()
    valid = form.validate()
    filters = AuditFilter(
        actor=(form.actor.data or None) if valid else None,
        action=(form.action.data or None) if valid else None,
        case_id=(form.case.data or None) if valid else None,
        since=form.since.data if valid else None,
        until=form.until.data if valid else None,
    )
    before = request.args.get("before", type=parse_id)
    entries, next_before = audit_log.page(filters, before)
    names = staff_admin.names_by_id()
    body_names = {b.id: b.name for b in all_bodies()}
    args = {k: v for k, v in request.args.items() if k != "before" and v}
    return render_template(
        "admin/audit.html",
        form=form,
        entries=entries,
        names=names,
        detail=lambda action, detail: audit_detail(action, detail, body_names),
        next_before=next_before,
        args=args,
    ), 200 if valid else 400
