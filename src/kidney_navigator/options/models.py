"""The OptionSet object: its JSON is the public contract of `kidney-nav options PROFILE_JSON --json`."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SettingOut(BaseModel):
    histology_group: str
    line: int
    imdc_group: str | None
    prior_classes: list[str]


class OptionOut(BaseModel):
    regimen: str
    drugs: list[str]
    category: str
    why: str
    evidence: str
    sources: list[str]


class NotApplicableOut(BaseModel):
    regimen: str
    reason: str


class LocalOut(BaseModel):
    option: str
    why: str
    sources: list[str]


class OptionSet(BaseModel):
    setting: SettingOut
    options: list[OptionOut] = Field(default_factory=list)
    not_applicable: list[NotApplicableOut] = Field(default_factory=list)
    local_and_supportive: list[LocalOut] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    disclaimer: str
