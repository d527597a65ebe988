"""The Answer object: its JSON is the public contract of `kidney-nav ask --json` and /api/v1/ask."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["answered", "urgent", "out_of_scope", "no_answer"]


class Urgent(BaseModel):
    message: str


class Section(BaseModel):
    title: str
    text: str
    citations: list[str] = Field(default_factory=list)


class SourceRef(BaseModel):
    id: str
    title: str
    publisher: str
    url: str
    reviewed: str  # YYYY-MM-DD


class Answer(BaseModel):
    question: str
    status: Status
    urgent: Urgent | None = None
    sections: list[Section] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)
    disclaimer: str
    # Set only when a saved profile was given (`ask --profile`): True when "For you" sections were added. Left out of
    # the JSON when None, so the plain contract stays exactly as it was.
    personalised: bool | None = None

    def contract(self) -> dict[str, object]:
        """The public JSON shape (exactly these keys, in this order; `personalised` only with a profile)."""
        return self.model_dump(mode="json", exclude={"personalised"} if self.personalised is None else None)


class AnswerDebug(BaseModel):
    """What the composer saw; used by evaluation and tests, never part of the public contract."""

    topic_ids: list[str] = Field(default_factory=list)
    coverage: float = 0.0
    directive: bool = False
