from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    Field,
    HttpUrl,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from spotter.core.schemas import Out, Schema
from spotter.exercises.models import NAME_MAX, URL_MAX


class Level(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    EXPERT = "expert"


class Mechanic(StrEnum):
    COMPOUND = "compound"
    ISOLATION = "isolation"


class Force(StrEnum):
    PULL = "pull"
    PUSH = "push"
    STATIC = "static"


class Source(StrEnum):
    SHARED = "shared"
    CUSTOM = "custom"


_URL: TypeAdapter[HttpUrl] = TypeAdapter(HttpUrl)


def _https(value: str) -> str:
    try:
        url = _URL.validate_python(value)
    except ValidationError as exc:
        raise ValueError("the video URL is not a valid web address") from exc
    if url.scheme != "https":
        raise ValueError("the video URL must start with https://")
    text = str(url)
    if len(text) > URL_MAX:
        raise ValueError(f"the video URL may be at most {URL_MAX} characters")
    return text


Name = Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX)]
VideoUrl = Annotated[str, AfterValidator(_https)]
Cue = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Notes = Annotated[str, StringConstraints(max_length=5000)]
Slug = Annotated[str, StringConstraints(min_length=1, max_length=60)]


class ExerciseOut(Out):
    id: uuid.UUID
    source: Source
    slug: str | None = Field(description="The dataset's id, for shared exercises")
    name: str
    category: str
    level: Level
    mechanic: Mechanic | None
    force: Force | None
    equipment: str | None
    primary_muscles: list[str]
    secondary_muscles: list[str]
    video_url: str | None
    cues: list[str]
    notes: str | None
    overridden: bool = Field(description="Your organization has its own version of it")
    shared_name: str | None = Field(description="The library's name, when yours differs")
    archived: bool


class CustomExerciseIn(Schema):
    """A custom exercise (create, or replace with PUT). Vocabulary values are the slugs of
    GET /exercise-categories, /muscles and /equipment."""

    name: Name
    category: Slug
    level: Level = Level.BEGINNER
    mechanic: Mechanic | None = None
    force: Force | None = None
    equipment: Slug | None = None
    primary_muscles: list[Slug] = Field(min_length=1, max_length=17)
    secondary_muscles: list[Slug] = Field(default_factory=list, max_length=17)
    video_url: VideoUrl | None = None
    cues: list[Cue] = Field(default_factory=list, max_length=20)
    notes: Notes | None = None

    @model_validator(mode="after")
    def _muscles_once(self) -> CustomExerciseIn:
        both = set(self.primary_muscles) & set(self.secondary_muscles)
        if both:
            raise ValueError(
                f"{', '.join(sorted(both))}: a muscle is either primary or secondary, not both"
            )
        return self


class OverrideIn(Schema):
    """Your organization's version of a shared exercise; empty fields keep the library's."""

    name: Name | None = None
    video_url: VideoUrl | None = None
    cues: list[Cue] = Field(default_factory=list, max_length=20)
    notes: Notes | None = None


class CategoryOut(Out):
    slug: str
    name: str
    parent: str | None
    children: list[str]


class MuscleOut(Out):
    slug: str
    name: str
    region: str = Field(description="arms, shoulders, chest, back, core, legs or neck")


class EquipmentOut(Out):
    slug: str
    name: str
