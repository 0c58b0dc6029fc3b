"""Admin routes: accounts (create, disable, enable, reset) and the audit log (bodies: admin/bodies.py).

An admin sees and changes the accounts of their body and the bodies below it; a change to
any other account is refused through the error table (403) before anything changes.
"""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.domain import working_days
from portal.domain.staff import StaffRole
from portal.services import audit_log, case_state, staff_admin
from portal.services.accounts import InvalidAccount
from portal.services.audit_log import AuditFilter
from portal.services.bodies import all_bodies
from portal.services.errors import UsernameTaken
from portal.services.staff_admin import NoSuchAccount, NotOnYourself
from portal.web import confirm, labels
from portal.web.admin import bp
from portal.web.admin.audit_words import audit_detail
from portal.web.admin.bodies import refused_page, tree_choices
from portal.web.admin.forms import ROLE_LABELS, AccountActionForm, AuditFilterForm, NewAccountForm
from portal.web.errors import error_page
from portal.web.refusals import REFUSED
from portal.web.request_checks import parse_id
from portal.web.review.auth_forms import EmptyForm
from portal.web.staff import roles_required


def _account_form() -> NewAccountForm:
    """The new-account form, offering the admin's bodies and the supervisors and leaders in them."""
    admin = current_user.user
    form = NewAccountForm()
    tree = staff_admin.body_tree(admin)
    names = {row.body.id: row.body.name for row in tree}
    form.body.choices = tree_choices(tree)
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
        calendar_gaps=working_days.missing_years(case_state.today()),
    ), status


@bp.get("")
@roles_required(StaffRole.ADMIN)
def accounts():
    return _accounts_page(_account_form())


#: Where a refusal of accounts.create_user shows (named by the start of its message), and its words.
_ACCOUNT_ERRORS = {
    "supervisor": _l("Choose a supervisor or leader of the same body, and only for a reviewer."),
    "body": _l("Choose one of the bodies listed."),
    "role": _l("Choose one of the roles listed."),
}


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
            field = re.split(r"[: ]", str(exc), maxsplit=1)[0]
            if field in _ACCOUNT_ERRORS:
                getattr(form, field).errors = [str(_ACCOUNT_ERRORS[field])]
            else:
                form.username.errors = [_("Lower-case letters, digits, dot, dash and underscore.")]
        except REFUSED as exc:
            return refused_page(exc)
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
        abort(refused_page(exc))


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
