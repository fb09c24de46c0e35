"""Checks before solving, in plain words: what will keep companies or pins from fitting.

Cheap and not exhaustive (the pre-check and the model are): a theme too few companies have,
more companies in mutual hard conflict within a theme than it can have groups, and pinned
companies that break a rule by being together.
"""

from peergroups.conflicts import analyse
from peergroups.model import Problem
from solver.scenario import Scenario


def diagnose(problem: Problem, scenario: Scenario) -> list[str]:
    """Plain-words findings, most telling first."""
    min_size = scenario.min_size
    sharers: dict[str, int] = {}
    for company in problem.companies:
        for theme in company.goals:
            sharers[theme] = sharers.get(theme, 0) + 1
    found = [
        f"theme {theme}: only {count} compan{'y has' if count == 1 else 'ies have'} it among "
        f"their goals (a group needs {min_size})"
        for theme, count in sorted(sharers.items())
        if count < min_size
    ]
    for theme, clique in analyse(problem).theme_cliques:
        groups = sharers[theme] // min_size
        if len(clique) > groups:
            found.append(
                f"theme {theme}: {len(clique)} companies in mutual hard conflict "
                f"({', '.join(clique[:5])}) need {len(clique)} groups, but its "
                f"{sharers[theme]} companies make at most {groups}"
            )
    for label, owners in sorted(problem.labels.items()):
        themes = problem.label_themes[label]
        if not themes:
            found.append(f"pinned group {label}: its companies share no goal")
            continue
        members = [problem.by_id[c] for c in owners]
        for rule in scenario.grouping_rules:
            if not rule.admits(problem, themes[0], members):
                found += [
                    f"pinned group {label}: {message}"
                    for message in rule.group_violations(problem, themes[0], members)
                ]
    return found
