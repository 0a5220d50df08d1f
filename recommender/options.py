"""Rules between `recommend` options that click cannot express: each is a usage error, never a silent choice.

- `--gaps` and `--transcript` are two ways to say what remains: give one.
- `--cycle-start` / `--certified-on` only mean something with `--transcript`, and only one of them.
- With several credentials every credential gets its own gaps:
  `--gaps CMA:general=10,total=60 --gaps CCMA:total=10` (or one unprefixed `--gaps` per
  `--credential`, in order).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date


class OptionsError(ValueError):
    """Options that contradict each other (the CLI reports a usage error, exit 2)."""


def check_transcript_options(
    gaps: Sequence[str], transcript: str | None, cycle_start: date | None, certified_on: date | None
) -> None:
    """Raise OptionsError when the gaps/transcript/cycle options contradict each other."""
    if gaps and transcript:
        raise OptionsError(
            "give --gaps or --transcript, not both: --transcript works out the gaps from what you have "
            "completed; --gaps says what remains"
        )
    if transcript is None and (cycle_start or certified_on):
        flag = "--cycle-start" if cycle_start else "--certified-on"
        raise OptionsError(f"{flag} needs --transcript FILE (it says which completions count)")
    if transcript and cycle_start and certified_on:
        raise OptionsError("give one of --cycle-start DATE and --certified-on DATE, not both")
    if transcript and not (cycle_start or certified_on):
        raise OptionsError("--transcript needs --cycle-start DATE or --certified-on DATE")


def split_gaps(values: Sequence[str], codes: Sequence[str]) -> list[str]:
    """One gaps text per credential, in the order of `codes` (no credential: at most one text).

    `CODE:KEY=N,...` names its credential; unprefixed texts are taken in order, one per credential.
    """
    values = [v.strip() for v in values]
    if not values:
        return []
    if not codes:
        if len(values) > 1:
            raise OptionsError("without --credential give one --gaps (contact hours)")
        return values
    upper = [c.upper() for c in codes]
    named: dict[str, str] = {}
    plain: list[str] = []
    for v in values:
        code, rest = _prefix(v, upper)
        if code is None:
            plain.append(v)
        elif code in named:
            raise OptionsError(f"--gaps for {code} is given twice")
        else:
            named[code] = rest
    if named and plain:
        raise OptionsError(
            "name the credential in every --gaps or in none, e.g. --gaps CMA:total=60 --gaps CCMA:total=10"
        )
    if named:
        missing = [c for c in upper if c not in named]
        if missing:
            raise OptionsError(
                f"no --gaps for {', '.join(missing)}: give each credential its own, e.g. "
                f"--gaps {missing[0]}:total=10"
            )
        return [named[c] for c in upper]
    if len(plain) != len(codes):
        example = " ".join(f"--gaps {c}:total=N" for c in upper)
        raise OptionsError(
            f"{len(plain)} --gaps for {len(codes)} credentials: give each credential its own gaps, "
            f"e.g. {example}"
        )
    return plain


def _prefix(value: str, codes: list[str]) -> tuple[str | None, str]:
    """('CMA', 'total=60') for 'CMA:total=60'; (None, value) when no credential is named."""
    head, sep, rest = value.partition(":")
    if not sep or "=" in head or "," in head:
        return None, value
    key = head.strip().upper()
    if key in ("APPROVED", "TOPIC"):
        return None, value
    if key not in codes:
        raise OptionsError(
            f"--gaps {value}: {head.strip()!r} is not one of the credentials given ({', '.join(codes)})"
        )
    return key, rest
