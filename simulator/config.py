"""The simulator's configuration: portals with fixed tokens (strict mode), or any token opens a portal (open)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError

Tier = Literal["free", "starter", "professional", "enterprise", "api-add-on"]


class PortalConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1)
    portal_id: int | None = Field(default=None, alias="portalId")
    tier: Tier = "enterprise"
    time_zone: str = Field(default="UTC", alias="timeZone")
    scopes: list[str] | None = None  # None grants every scope

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return check_time_zone(value)


class HubConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    portals: list[PortalConfig] = Field(default_factory=list)
    # Open mode: any token gets a fresh portal. Declaring portals turns it off unless it is asked for.
    open: bool | None = None
    admin_token: str | None = Field(default=None, alias="adminToken")

    @property
    def is_open(self) -> bool:
        return self.open if self.open is not None else not self.portals


class ConfigError(Exception):
    pass


def check_time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}") from None
    return value


def load_config(path: str | Path) -> HubConfig:
    try:
        raw = yaml.safe_load(Path(path).read_text()) or {}
        return HubConfig.model_validate(raw)
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"config {path} is not valid YAML: {exc}") from None
    except PydanticValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)
        )
        raise ConfigError(f"config {path} is invalid: {problems}") from None
