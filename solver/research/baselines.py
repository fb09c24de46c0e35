"""Baselines the benchmark compares against: what a coordinator or a first model would do.

- `theme_sweep`: the coordinator's sweep. Themes in order of popularity; each takes the
  companies still unplaced that have it among their goals (whatever its rank), sorted by
  maturity, and cuts them into windows of at most `max_size` that keep every rule.
- `anonymous_model`: the CP-SAT model a user writes first: n // min_size anonymous groups,
  a theme variable per group and a chosen theme per company, a [lo, hi] maturity band per
  group, an assignment literal for every company and group, the same lexicographic objective
  as one weighted sum, and no symmetry breaking.
Both keep every hard rule of the default scenario (`check` re-verifies them in the bench).
"""

from collections import Counter

from ortools.sat.python import cp_model

from peergroups.model import Mode, Problem, tenths
from solver.objective import ChosenGroup, Objective
from solver.rules import Rule
from solver.scenario import Scenario


def theme_sweep(
    problem: Problem, rules: list[Rule], max_size: int, maturity_window: float | None
) -> list[ChosenGroup]:
    """Per theme, maturity-sorted windows: each starts at the lowest company left and takes
    the following ones that every rule admits, up to `max_size` and the maturity window;
    a window that cannot become a valid group gives up its first company."""
    popularity = Counter(theme for c in problem.companies for theme in c.goals)
    placed: set[str] = set()
    groups: list[ChosenGroup] = []
    for theme, _ in sorted(popularity.items(), key=lambda kv: (-kv[1], kv[0])):
        left = sorted(
            (c for c in problem.companies if theme in c.goals and c.company_id not in placed),
            key=lambda c: (c.maturity, c.company_id),
        )
        while left:
            window_group = [left[0]]
            for company in left[1:]:
                too_far = maturity_window is not None and tenths(company.maturity) - tenths(
                    left[0].maturity
                ) > tenths(maturity_window)
                if too_far or len(window_group) == max_size:
                    break
                if all(r.admits(problem, theme, [*window_group, company]) for r in rules):
                    window_group.append(company)
            if any(r.group_violations(problem, theme, window_group) for r in rules):
                left = left[1:]
                continue
            groups.append((theme, [c.company_id for c in window_group]))
            placed.update(c.company_id for c in window_group)
            left = [c for c in left if c.company_id not in placed]
    return groups


def anonymous_model(
    problem: Problem, scenario: Scenario, time_limit: float, workers: int, seed: int
) -> tuple[list[ChosenGroup], str, float | None]:
    """Solve the first model a user would write; (groups, status, seconds to first plan)."""
    size, spread, roles = (scenario.rule(k) for k in ("group_size", "maturity_spread", "role_tier"))
    companies = problem.companies
    count = len(companies) // size.min_size
    themes = sorted({t for c in companies for t in c.goals})
    languages = sorted({code for c in companies for code in c.languages})
    regions = sorted({c.region for c in companies if c.region})
    model = cp_model.CpModel()
    x = {(c.company_id, g): model.new_bool_var("") for c in companies for g in range(count)}
    theme = {(g, t): model.new_bool_var("") for g in range(count) for t in themes}
    chosen = {(c.company_id, t): model.new_bool_var("") for c in companies for t in c.goals}
    objective = Objective(problem, scenario.active_rules, scenario.priorities)
    weight = {level.name: level.weight for level in objective.levels}
    weight = {
        name: weight.get(name, 0) for name in ("placed", "goal_rank", "spread", "soft_relations")
    }
    costs = []
    for c in companies:
        seats = [x[c.company_id, g] for g in range(count)]
        model.add(sum(seats) <= 1)
        model.add(sum(chosen[c.company_id, t] for t in c.goals) == sum(seats))
        for g in range(count):
            for t in c.goals:
                model.add_implication(chosen[c.company_id, t], theme[g, t]).only_enforce_if(
                    x[c.company_id, g]
                )
            model.add_bool_or([theme[g, t] for t in c.goals]).only_enforce_if(x[c.company_id, g])
        costs.append(
            weight["goal_rank"] * sum(r * chosen[c.company_id, t] for r, t in enumerate(c.goals))
        )
    for g in range(count):
        members = [x[c.company_id, g] for c in companies]
        active = model.new_bool_var("")
        model.add(sum(theme[g, t] for t in themes) == active)
        model.add(sum(members) >= size.min_size * active)
        model.add(sum(members) <= size.max_size * active)
        lo, hi = model.new_int_var(0, 1000, ""), model.new_int_var(0, 1000, "")
        tier_lo, tier_hi = model.new_int_var(0, 2, ""), model.new_int_var(0, 2, "")
        model.add(hi - lo <= tenths(spread.max_maturity_spread))
        model.add(tier_hi - tier_lo <= roles.max_role_gap)
        costs.append(weight["spread"] * (hi - lo))
        in_person = model.new_bool_var("")
        language = {code: model.new_bool_var("") for code in languages}
        region = {code: model.new_bool_var("") for code in regions}
        model.add_at_most_one(language.values())
        model.add_at_most_one(region.values())
        for c in companies:
            seat = x[c.company_id, g]
            model.add(lo <= tenths(c.maturity)).only_enforce_if(seat)
            model.add(hi >= tenths(c.maturity)).only_enforce_if(seat)
            model.add(tier_lo <= c.tier).only_enforce_if(seat)
            model.add(tier_hi >= c.tier).only_enforce_if(seat)
            model.add_bool_or([language[code] for code in c.languages]).only_enforce_if(seat)
            if c.mode == Mode.IN_PERSON:
                model.add_implication(seat, in_person)
            if c.mode == Mode.VIRTUAL or c.region is None:
                model.add_implication(seat, ~in_person)
            else:
                model.add_bool_or([~seat, ~in_person, region[c.region]])
        for a, b in problem.hard_pairs:
            model.add_bool_or([~x[a, g], ~x[b, g]])
        for (a, b), cost in problem.soft_pairs.items():
            together = model.new_bool_var("")
            model.add_bool_or([~x[a, g], ~x[b, g], together])
            costs.append(weight["soft_relations"] * cost * together)
    model.maximize(weight["placed"] * sum(x.values()) - sum(costs))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    first = _FirstSolution()
    code = solver.solve(model, first)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return [], solver.status_name(code).lower(), None
    groups = []
    for g in range(count):
        members = [c.company_id for c in companies if solver.boolean_value(x[c.company_id, g])]
        if members:
            label = next(t for t in themes if solver.boolean_value(theme[g, t]))
            groups.append((label, members))
    return groups, solver.status_name(code).lower(), first.seconds


def anonymous_model_size(problem: Problem, scenario: Scenario) -> int:
    """Assignment literals the anonymous model needs: n · (n // min_size)."""
    return len(problem.companies) * (len(problem.companies) // scenario.min_size)


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self) -> None:
        super().__init__()
        self.seconds: float | None = None

    def on_solution_callback(self) -> None:
        if self.seconds is None:
            self.seconds = self.wall_time
