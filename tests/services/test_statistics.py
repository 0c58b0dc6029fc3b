"""h11s1: the statistics are counted in SQL, event-dated, and protected."""

from __future__ import annotations

import random

from portal.services import bodies, case_state, statistics
from tests.factories import gen_case


def _workers():
    from tests.factories import gen_worker

    return {
        "reviewer": gen_worker("st.rev", "reviewer"),
        "supervisor": gen_worker("st.sup", "supervisor"),
        "intake": gen_worker("st.int", "intake"),
    }


def test_counts_of_a_year_by_kind_and_category(app):
    with app.app_context():
        w = _workers()
        for _ in range(6):
            gen_case("concern", "answered", **w)
        gen_case("clarification", "found_false", **w)
        statistics.clear_memo()
        year = case_state.today().year
        lat = statistics.lattice(year)
        root = lat.bodies.root
        received = lat.measures["received"]
        assert received.value((root, "Y", "all")) == 7
        assert received.text((root, "Y", "clarification")) == "<5"
        # all − concern would give the clarification away: the concern count is its complement
        assert received.text((root, "Y", "concern")) == "—"
        assert received.value((root, "Y", "concern")) == 6
        assert lat.measures["concluded"].value((root, "Y", "finding:found_false")) == 1
        assert lat.measures["accepted"].value((root, "Y", "workload")) == 6
        again = statistics.lattice(year)
        assert again is lat  # memo: nothing changed


def test_the_python_percentiles_are_postgresql_percentile_cont():
    assert statistics.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert statistics.percentile([0, 10], 0.9) == 9.0
    assert statistics.percentile([7], 0.9) == 7.0


def test_times_agree_between_sql_and_python(app):
    with app.app_context():
        w = _workers()
        for _ in range(5):
            gen_case("concern", "answered", **w)
        ids = bodies.subtree_ids(bodies.default_id())
        year = case_state.today().year
        sql = statistics.times("to_accept", ids, year, None)
        py = statistics.times("to_accept", ids, year, None, python=True)
        assert sql == py and sql.shown and sql.median == 0 and sql.met_share == 1.0
        few = statistics.times("to_carry_out", ids, year, None)
        assert not few.shown and few.median is None


def test_random_durations_agree_between_sql_and_python():
    rng = random.Random(3)
    for _ in range(50):
        values = [rng.randint(0, 40) for _ in range(rng.randint(1, 30))]
        assert statistics.percentile(values, 0.5) == statistics.percentile(sorted(values, reverse=True), 0.5)
