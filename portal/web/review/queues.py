"""The queues: new, assigned to me, waiting for my approval, overdue, all."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_login import current_user

from portal.domain.cases import Category, Kind, State
from portal.domain.staff import CASE_WORKER_ROLES
from portal.services import queues as queue_service
from portal.services import referrals as referral_service
from portal.web.review import bp
from portal.web.staff import roles_required


@bp.get("")
@roles_required(*CASE_WORKER_ROLES)
def queue():
    name = request.args.get("queue") or None  # none asked for: the service opens the first tab with work
    if name is not None and name not in queue_service.QUEUES:
        abort(404)
    filters = queue_service.QueueFilters(
        kind=request.args.get("kind") if request.args.get("kind") in set(Kind) else None,
        state=request.args.get("state") if request.args.get("state") in set(State) else None,
        category=request.args.get("category") if request.args.get("category") in set(Category) else None,
        real_name=request.args.get("real_name") == "1",  # issue 10
    )
    result = queue_service.page(
        name,
        current_user.user,
        filters,
        request.args.get("after"),
        current_app.config["QUEUE_PAGE_SIZE"],
        sort=request.args.get("sort", "filed"),
    )
    args = {k: v for k, v in (("kind", filters.kind), ("state", filters.state), ("category", filters.category)) if v}
    if filters.real_name:
        args["real_name"] = "1"
    if result.sort != "filed":
        args["sort"] = result.sort
    overdue = referral_service.overdue_count(current_user.user)  # the 诬告陷害 ledger (issue 10)
    return render_template(
        "review/queue.html", name=result.name, page=result, filters=filters, args=args, referrals_overdue=overdue
    )
