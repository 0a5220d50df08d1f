"""CEU Planner recommender: credential rules, gaps and the provably cheapest plan.

Kept light on import (the `recommend` start-up path): `plan` loads its modules when called.
"""

from __future__ import annotations

from typing import Any

__all__ = ["plan"]


def plan(*args: Any, **kwargs: Any):
    """The cheapest plan closing the gaps (else an estimate, with fees and deadlines); see `recommender.answer.plan`."""
    from recommender.answer import plan as _plan

    return _plan(*args, **kwargs)
