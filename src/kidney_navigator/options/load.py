"""Read a profile JSON file for `kidney-nav options`: every bad input becomes one clear line, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from kidney_navigator.profile.models import Profile


class ProfileInputError(Exception):
    """The file cannot be used; the message names the file and, when there is one, the field. `code` is the exit code
    (1: the file cannot be read, 2: it was read but is not a valid profile)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def _field(loc: tuple[int | str, ...]) -> str:
    """pydantic's location as people write it: therapies[0].drug."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_profile(path: Path) -> Profile:
    """The Profile in `path`, or ProfileInputError saying what is wrong in one line."""
    if path.is_dir():
        raise ProfileInputError(f"{path} is a folder, not a profile JSON file", 1)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileInputError(f"cannot read {path}: {exc.strerror or exc}", 1) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileInputError(f"{path.name} is not a text file (expected profile JSON)", 2) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProfileInputError(
            f"{path.name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); expected the output "
            "of kidney-nav profile --json", 2) from exc
    if not isinstance(data, dict):
        raise ProfileInputError(
            f"{path.name} must hold one profile (a JSON object), not a JSON {type(data).__name__}", 2)
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
        message = " ".join(str(first["msg"]).split())
        raise ProfileInputError(f"{path.name}: field '{_field(tuple(first['loc']))}': {message}{more}", 2) from exc
