"""The simulator's configuration: portals with fixed tokens (strict mode), or any token opens a portal (open)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError

Tier = Literal["free", "starter", "professional", "enterprise", "api-add-on"]


class TeamConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[0-9]{1,18}$")
    name: str = Field(min_length=1)
    primary: bool = True


class OwnerConfig(BaseModel):
    """One of the portal's users who can own records (a sales rep): what GET /crm/v3/owners answers."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(pattern=r"^[0-9]{1,18}$")
    email: str = Field(min_length=3)
    first_name: str = Field(default="", alias="firstName")
    last_name: str = Field(default="", alias="lastName")
    user_id: int = Field(alias="userId", ge=1)
    teams: list[TeamConfig] = Field(default_factory=list)
    archived: bool = False  # a deactivated user: listed with archived=true, no longer assignable


class PortalConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1)
    portal_id: int | None = Field(default=None, alias="portalId")
    tier: Tier = "enterprise"
    time_zone: str = Field(default="UTC", alias="timeZone")
    scopes: list[str] | None = None  # None grants every scope
    owners: list[OwnerConfig] | None = None  # None seeds a few realistic sales reps (simulator.crm.owners)

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
