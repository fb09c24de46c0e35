"""Tiny problems for the solver tests: hand-built ones and seeded random ones."""

import random
from typing import Any

from peergroups.model import Company, Facilitator, Group, Meeting, Problem, Relation
from solver import Result, Scenario, check, solve
from solver.facilitation import Flow, Staffing, staffed
from solver.interrupt import STOP
from solver.rules import Rule

ROLES = ("board_chair", "ceo", "development_director", "management_team_member", "other")
THEMES = ("erp", "cybersecurity", "robotics_automation")
LANGUAGES = ("fi", "sv", "en")
MODES = ("in_person", "hybrid", "virtual")
REGIONS = ("MK01", "MK02", None)
NACE_CODES = ("25620", "25110", "28110", "62010", None)
RELATION_KINDS = ("competitor", "customer_supplier", "same_owner", "conflict", "other")


def company(cid: str, maturity: float, goals: str = "erp", **fields: Any) -> Company:
    """A CEO with one goal (erp), speaking Finnish, hybrid, no region, unless told otherwise."""
    values = {"company_id": cid, "name": f"Oy {cid}", "maturity": maturity, "role": "ceo"}
    return Company(**(values | {"goals": goals} | fields))


def relation(a: str, b: str, kind: str = "competitor", **fields: Any) -> Relation:
    return Relation(company_a=a, company_b=b, kind=kind, **fields)


def problem(*companies: Company, relations: tuple[Relation, ...] = ()) -> Problem:
    return Problem(companies=companies, relations=relations)


def scenario(min_size: int, max_size: int, **rules: dict[str, Any]) -> Scenario:
    """Every rule at its defaults except group size and the rules given; a short, one-worker
    solve (tiny instances are proven optimal in well under a second)."""
    chosen = Scenario.default().with_rule("group_size", min_size=min_size, max_size=max_size)
    for kind, params in rules.items():
        chosen = chosen.with_rule(kind, **params)
    return chosen.with_solver(time_limit=5, workers=1)


def groups(result: Result) -> set[frozenset[str]]:
    """The plan's groups as sets of member ids."""
    return {frozenset(group.members) for group in result.grouping.groups}


def reasons(result: Result) -> dict[str, str]:
    """Unassigned company id -> the reason given for it."""
    return {u.company_id: u.reason for u in result.grouping.unassigned}


def random_problem(rng: random.Random, size: int, themes: int = 3) -> Problem:
    """`size` companies with every attribute the rules read drawn at random, plus a few hard
    and soft relations (competitor consent drawn too, so competitor pairs go either way).

    Half of the instances draw maturities from a 2.5-point grid, so that equal maturities and
    spreads exactly at a limit (5, 25) occur; the others use any one-decimal value in 20-60.
    """
    pool = THEMES[:themes]
    grid = rng.random() < 0.5
    companies = []
    for number in range(size):
        maturity = 20 + 2.5 * rng.randint(0, 16) if grid else round(rng.uniform(20, 60), 1)
        companies.append(
            Company(
                company_id=f"C{number:02d}",
                name=f"Oy C{number:02d}",
                maturity=maturity,
                role=rng.choice(ROLES),
                goals=tuple(rng.sample(pool, rng.randint(1, len(pool)))),
                mode=rng.choice(MODES),
                languages=tuple(rng.sample(LANGUAGES, rng.randint(1, 2))),
                region=rng.choice(REGIONS),
                nace_code=rng.choice(NACE_CODES),
                competitor_ok=rng.random() < 0.5,
            )
        )
    ids = [c.company_id for c in companies]
    relations = [
        Relation(
            company_a=a,
            company_b=b,
            kind=rng.choice(RELATION_KINDS),
            severity=rng.choice((None, None, "hard", "soft")),
        )
        for a, b in (rng.sample(ids, 2) for _ in range(rng.randint(1, size)))
    ]
    # Two earlier rounds of random groups of three, so that pairs met once or twice.
    history = [
        Meeting(round=number, group_id=f"R{number}G{position // 3}", company_id=cid)
        for number in (1, 2)
        for position, cid in enumerate(rng.sample(ids, len(ids)))
    ]
    return Problem(companies=tuple(companies), relations=tuple(relations), history=tuple(history))


def plan_key(instance: Problem, rules: list[Rule], plan: list[tuple[str, list[str]]]):
    """The lexicographic objective, computed here from the rules alone: placed, then minus
    the summed cost of each priority (lowest priority number first); terms that can only be
    0 on this instance are no level."""
    costed = [r for r in rules if r.term is not None and r.cost_upper(instance) > 0]

    def cost(rule: Rule) -> int:
        whole = rule.plan_cost(instance, plan)
        if whole is not None:
            return whole
        return sum(
            rule.group_cost(instance, theme, [instance.by_id[cid] for cid in members])
            for theme, members in plan
        )

    costs = {
        priority: sum(cost(rule) for rule in costed if rule.priority == priority)
        for priority in {rule.priority for rule in costed}
    }
    placed = sum(len(members) for _, members in plan)
    return (placed, *(-costs[p] for p in sorted(costs)))


def best_by_enumeration(instance: Problem, rules: list[Rule]) -> tuple[int, ...]:
    """The best key over every plan of a tiny instance: each company in turn stays out,
    joins an open group of one of its goals that every rule admits, or opens one."""
    companies = list(instance.companies)
    best: tuple[int, ...] | None = None

    def place(index: int, open_groups: list[tuple[str, list[Company]]]) -> None:
        nonlocal best
        if index == len(companies):
            if not any(
                rule.group_violations(instance, theme, members)
                for theme, members in open_groups
                for rule in rules
            ):
                plan = [(t, [c.company_id for c in m]) for t, m in open_groups]
                key = plan_key(instance, rules, plan)
                best = key if best is None or key > best else best
            return
        company = companies[index]
        place(index + 1, open_groups)
        for theme, members in open_groups:
            if theme in company.goals and all(
                rule.admits(instance, theme, [*members, company]) for rule in rules
            ):
                members.append(company)
                place(index + 1, open_groups)
                members.pop()
        for theme in company.goals:
            place(index + 1, [*open_groups, (theme, [company])])

    place(0, [])
    assert best is not None  # the empty plan is always valid
    return best


PROVEN_LEFT_OUT = "no plan places more companies (proven)"
"""The reason of a company that could sit in some group, but not in an optimal plan."""


def solved(instance: Problem, chosen: Scenario) -> Result:
    """Solve, then hold the plan to the contract: proven optimal, every company exactly once,
    every rule's check passes and every unassigned company carries a reason."""
    result = solve(instance, chosen)
    assert result.status == "optimal"
    assert result.grouping.accounting_errors(instance) == []
    assert check(instance, result.grouping, chosen.active_rules) == []
    assert all(u.reason for u in result.grouping.unassigned)
    return result


def terms(
    placed: int, goal_rank: int = 0, spread: int = 0, soft: int = 0, repeats: int = 0
) -> dict[str, int]:
    return {
        "placed": placed,
        "goal_rank": goal_rank,
        "spread": spread,
        "soft_relations": soft,
        "repeat_pairs": repeats,
        "moves": 0,
        "new_groups": 0,
    }


# --- facilitation -------------------------------------------------------------------------

FACILITATION_RULES = Scenario.default().facilitation_rules


def member(cid: str, **fields) -> Company:
    values = {"name": cid, "maturity": 50, "role": "ceo", "goals": "erp"} | fields
    return Company(company_id=cid, **values)


def facilitator(fid: str, **fields) -> Facilitator:
    return Facilitator(facilitator_id=fid, name=fid, **fields)


def staff(companies, facilitators, groups):
    """Assign facilitators to the groups: (problem, group id -> facilitator id, reasons)."""
    problem = Problem(companies=tuple(companies), facilitators=tuple(facilitators))
    groups = tuple(groups)
    if not problem.facilitators:
        return problem, {g.group_id: None for g in groups}, {}
    offering = Staffing(problem, FACILITATION_RULES)
    offers = [offering.offer(g.theme, [problem.by_id[c] for c in g.members]) for g in groups]
    flow = Flow.of(problem, len(groups), FACILITATION_RULES, offers)
    done, reasons = staffed(problem, groups, offers, flow, flow.solve())
    return problem, {g.group_id: g.facilitator_id for g in done}, reasons


def group(gid: str, *members: str, theme: str = "erp") -> Group:
    return Group(group_id=gid, theme=theme, members=members)


def stop_after(monkeypatch: Any, checks: Any, calls: int) -> list[tuple[Any, Any]]:
    """`checks.compatible` counted, with a stop request at call `calls`: the calls made, for
    tests that a long loop ends soon after a stop."""
    asked: list[tuple[Any, Any]] = []
    compatible = checks.compatible

    def counted(a: Any, b: Any) -> bool:
        asked.append((a, b))
        if len(asked) == calls:
            STOP.request()
        return compatible(a, b)

    monkeypatch.setattr(checks, "compatible", counted)
    return asked
