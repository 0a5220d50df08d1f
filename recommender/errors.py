"""The library's errors that mean "your input is wrong" (one message, every line kept), for any front end.

`recommend` and the web app both turn exactly these into a clear error (exit 1 / HTTP 400), never a
traceback. Imported lazily: the error classes live beside the code that raises them.
"""

from __future__ import annotations


def input_errors() -> tuple[type[Exception], ...]:
    """Bad credentials, credential files, gaps, transcripts, catalog homes and plan options."""
    from catalog.snapshot import CatalogError
    from recommender.api import PlanInputError
    from recommender.credentials import CredentialFileError, UnknownCredential
    from recommender.gaps import GapsSyntaxError
    from recommender.transcript import TranscriptError

    return (
        UnknownCredential,
        CredentialFileError,
        GapsSyntaxError,
        TranscriptError,
        CatalogError,
        PlanInputError,
    )
