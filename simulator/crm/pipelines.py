"""Deal and ticket pipelines (Pipelines API v3), and what a deal's stage decides: its probability and whether it is
closed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import Field, field_validator

from simulator.crm.object_types import DEALS, TICKETS, ObjectType
from simulator.errors import ObjectNotFound, PropertyValueError, ValidationError, invalid_property_values
from simulator.wire import WireModel, iso

WRITE_PERMISSIONS = "CRM_PERMISSIONS_ENFORCEMENT"  # what HubSpot shows on every stage of an API-visible pipeline
# HubSpot's default sales pipeline ("default"), its stages and their probabilities.
DEFAULT_STAGES = (
    ("appointmentscheduled", "Appointment Scheduled", "0.2"),
    ("qualifiedtobuy", "Qualified To Buy", "0.4"),
    ("presentationscheduled", "Presentation Scheduled", "0.6"),
    ("decisionmakerboughtin", "Decision Maker Bought-In", "0.8"),
    ("contractsent", "Contract Sent", "0.9"),
    ("closedwon", "Closed Won", "1.0"),
    ("closedlost", "Closed Lost", "0.0"),
)
# HubSpot's default support pipeline ("0") of tickets: stage id, label, ticketState.
DEFAULT_TICKET_STAGES = (("1", "New", "OPEN"), ("2", "Waiting on contact", "OPEN"), ("3", "Waiting on us", "OPEN"),
                         ("4", "Closed", "CLOSED"))  # fmt: skip
PIPELINE_LIMIT = 100  # a bound on pipelines per portal (HubSpot's own limit depends on the subscription)
STAGE_LIMIT = 100  # a bound on stages per pipeline


class StageInput(WireModel):
    label: str = Field(min_length=1)
    display_order: int
    metadata: dict[str, str] = Field(default_factory=dict)

    @field_validator("metadata", mode="before")
    @classmethod
    def _strings(cls, value: Any) -> Any:
        return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in value.items()} if isinstance(
            value, dict
        ) else value


class StagePatch(WireModel):
    label: str | None = None
    display_order: int | None = None
    metadata: dict[str, str] | None = None


class PipelineInput(WireModel):
    label: str = Field(min_length=1)
    display_order: int
    stages: list[StageInput] = Field(min_length=1)


class PipelinePatch(WireModel):
    label: str | None = None
    display_order: int | None = None
    archived: bool | None = None


class Stage(WireModel):
    id: str
    label: str
    display_order: int
    metadata: dict[str, str]
    write_permissions: str = WRITE_PERMISSIONS
    archived: bool = False
    created_at: str
    updated_at: str

    @property
    def is_closed(self) -> bool:
        return self.metadata.get("isClosed") == "true"

    @property
    def probability(self) -> str:
        return self.metadata.get("probability", "")


class Pipeline(WireModel):
    id: str
    label: str
    display_order: int
    stages: list[Stage]
    archived: bool = False
    created_at: str
    updated_at: str

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id and not s.archived), None)

    def view(self) -> dict[str, Any]:
        """The wire shape: archived stages are not shown."""
        return {**self.dump(), "stages": [s.dump() for s in self.stages if not s.archived]}


def deal_metadata(metadata: Mapping[str, str]) -> dict[str, str]:
    """A deal stage needs a probability from 0.0 to 1.0; 1.0 is closed won, 0.0 closed lost (HubSpot's guide)."""
    raw = metadata.get("probability")
    try:
        probability = Decimal(raw) if raw is not None else None
    except InvalidOperation:
        probability = None
    if probability is None or not Decimal(0) <= probability <= Decimal(1):
        raise ValidationError("Deal stages need metadata.probability between 0.0 and 1.0")
    closed = metadata.get("isClosed", str(probability in (Decimal(0), Decimal(1))).lower())
    if closed not in ("true", "false"):
        raise ValidationError("metadata.isClosed must be true or false")
    return {**metadata, "probability": raw, "isClosed": closed}


def ticket_metadata(metadata: Mapping[str, str]) -> dict[str, str]:
    """A ticket stage is OPEN or CLOSED (HubSpot's pipelines guide: metadata.ticketState is required)."""
    if metadata.get("ticketState") not in ("OPEN", "CLOSED"):
        raise ValidationError("Ticket stages need metadata.ticketState OPEN or CLOSED")
    return dict(metadata)


def default_pipeline(object_type: ObjectType, stamp: str) -> Pipeline:
    """What a new portal has: the sales pipeline of deals, the support pipeline of tickets."""
    if object_type is TICKETS:
        rows = [(sid, label, {"ticketState": state}) for sid, label, state in DEFAULT_TICKET_STAGES]
        pipeline_id, label = "0", "Support Pipeline"
    else:
        rows = [(sid, label, deal_metadata({"probability": p})) for sid, label, p in DEFAULT_STAGES]
        pipeline_id, label = "default", "Sales Pipeline"
    stages = [Stage(id=sid, label=label, display_order=order, metadata=metadata, created_at=stamp, updated_at=stamp)
              for order, (sid, label, metadata) in enumerate(rows)]  # fmt: skip
    return Pipeline(id=pipeline_id, label=label, display_order=0, stages=stages, created_at=stamp, updated_at=stamp)


class PipelineStore:
    """The pipelines of one object type (deals or tickets) of one portal."""

    def __init__(self, lock: threading.RLock, now: Callable[[], datetime], next_id: Callable[[], int],
                 portal_id: int, pipelines: Iterable[Pipeline] | None = None, object_type: ObjectType = DEALS):
        self._lock = lock
        self._now = now
        self._next_id = next_id
        self._portal_id = portal_id
        self.object_type = object_type
        self._metadata = ticket_metadata if object_type is TICKETS else deal_metadata
        self._pipelines: dict[str, Pipeline] = {}
        for pipeline in pipelines if pipelines is not None else [default_pipeline(object_type, iso(now()))]:
            for stage in pipeline.stages:
                self._metadata(stage.metadata)
            self._pipelines[pipeline.id] = pipeline

    def _fresh_id(self) -> str:
        """An id from the portal's counter that no pipeline or stage here has (the ticket defaults are numbers)."""
        taken = {p.id for p in self._pipelines.values()} | {s.id for p in self._pipelines.values() for s in p.stages}
        while (candidate := str(self._next_id())) in taken:
            continue
        return candidate

    # --- reads -------------------------------------------------------------------------------------------------

    def all(self, *, archived: bool = False) -> list[Pipeline]:
        with self._lock:
            chosen = [p for p in self._pipelines.values() if p.archived == archived]
        return sorted(chosen, key=lambda p: (p.display_order, p.label))

    def get(self, pipeline_id: str) -> Pipeline:
        found = self._pipelines.get(pipeline_id)
        if found is None or found.archived:
            raise ObjectNotFound(f"Unable to find pipeline {pipeline_id}", context={"id": [pipeline_id]})
        return found

    def stage(self, pipeline_id: str, stage_id: str) -> Stage:
        found = self.get(pipeline_id).stage(stage_id)
        if found is None:
            raise ObjectNotFound(
                f"Unable to find stage {stage_id} in pipeline {pipeline_id}", context={"id": [stage_id]}
            )
        return found

    # --- writes ------------------------------------------------------------------------------------------------

    def create(self, request: PipelineInput) -> Pipeline:
        with self._lock:
            if len(self._pipelines) >= PIPELINE_LIMIT:
                raise ValidationError(f"A portal may have at most {PIPELINE_LIMIT} {self.object_type.singular} "
                                      "pipelines")
            self._check_stages(request.stages)
            stamp = iso(self._now())
            stages = [self._new_stage(s, stamp) for s in request.stages]
            pipeline = Pipeline(id=self._fresh_id(), label=request.label, display_order=request.display_order,
                                stages=stages, created_at=stamp, updated_at=stamp)  # fmt: skip
            self._pipelines[pipeline.id] = pipeline
            return pipeline

    def update(self, pipeline_id: str, patch: PipelinePatch) -> Pipeline:
        with self._lock:
            current = self._pipelines.get(pipeline_id)
            if current is None or (current.archived and patch.archived is not False):
                raise ObjectNotFound(f"Unable to find pipeline {pipeline_id}", context={"id": [pipeline_id]})
            changes = patch.changes()
            updated = current.model_copy(update={**changes, "updated_at": iso(self._now())})
            self._pipelines[pipeline_id] = updated
            return updated

    def archive(self, pipeline_id: str, *, in_use: Callable[[str], bool]) -> None:
        with self._lock:
            self.get(pipeline_id)
            if len(self.all()) == 1:
                raise ValidationError(f"A portal keeps at least one {self.object_type.singular} pipeline")
            if in_use(pipeline_id):
                raise ValidationError(f"Pipeline {pipeline_id} still holds {self.object_type.name}; move or archive "
                                      "them first")
            self.update(pipeline_id, PipelinePatch(archived=True))

    def create_stage(self, pipeline_id: str, request: StageInput) -> Stage:
        with self._lock:
            pipeline = self.get(pipeline_id)
            self._check_stages([*pipeline.stages, request])
            stage = self._new_stage(request, iso(self._now()))
            self._pipelines[pipeline_id] = pipeline.model_copy(update={"stages": [*pipeline.stages, stage]})
            return stage

    def update_stage(self, pipeline_id: str, stage_id: str, patch: StagePatch) -> Stage:
        with self._lock:
            pipeline, current = self.get(pipeline_id), self.stage(pipeline_id, stage_id)
            changes = patch.changes()
            if "metadata" in changes:
                changes["metadata"] = self._metadata(changes["metadata"])
            updated = current.model_copy(update={**changes, "updated_at": iso(self._now())})
            stages = [updated if s.id == stage_id else s for s in pipeline.stages]
            self._check_stages(stages)
            self._pipelines[pipeline_id] = pipeline.model_copy(update={"stages": stages})
            return updated

    def archive_stage(self, pipeline_id: str, stage_id: str, *, in_use: Callable[[str], bool]) -> None:
        with self._lock:
            pipeline, current = self.get(pipeline_id), self.stage(pipeline_id, stage_id)
            if len([s for s in pipeline.stages if not s.archived]) == 1:
                raise ValidationError("A pipeline keeps at least one stage")
            if in_use(stage_id):
                raise ValidationError(f"Stage {stage_id} still holds {self.object_type.name}; move or archive them "
                                      "first")
            archived = current.model_copy(update={"archived": True, "updated_at": iso(self._now())})
            stages = [archived if s.id == stage_id else s for s in pipeline.stages]
            self._pipelines[pipeline_id] = pipeline.model_copy(update={"stages": stages})

    def _new_stage(self, request: StageInput, stamp: str) -> Stage:
        return Stage(id=self._fresh_id(), label=request.label, display_order=request.display_order,
                     metadata=self._metadata(request.metadata), created_at=stamp, updated_at=stamp)  # fmt: skip

    def _check_stages(self, stages: list[Any]) -> None:
        live = [s for s in stages if not getattr(s, "archived", False)]
        if len(live) > STAGE_LIMIT:
            raise ValidationError(f"A pipeline may have at most {STAGE_LIMIT} stages")
        labels = [s.label.lower() for s in live]
        if len(labels) != len(set(labels)):
            raise ValidationError("Stage labels must be unique within a pipeline")
        for stage in live:
            self._metadata(stage.metadata)

    # --- records in a pipeline ------------------------------------------------------------------------------------

    def deal_values(self, current: Mapping[str, str], changes: Mapping[str, str], now: datetime) -> dict[str, str]:
        """A deal write's pipeline and stage checked against each other, and what the stage calculates."""
        if "pipeline" not in changes and "dealstage" not in changes:
            return {}
        pipeline, extra = self._written_pipeline("pipeline", "default", current, changes)
        stage_id = changes.get("dealstage", current.get("dealstage"))
        if not stage_id:
            return {**extra, "hs_deal_stage_probability": "", "hs_is_closed": "", "hs_is_closed_won": "",
                    "hs_is_closed_lost": ""}  # fmt: skip
        stage = self._written_stage(pipeline, "dealstage", stage_id)
        won = stage.is_closed and Decimal(stage.probability) == 1
        calculated = {
            "hs_deal_stage_probability": format(Decimal(stage.probability).normalize(), "f"),
            "hs_is_closed": str(stage.is_closed).lower(),
            "hs_is_closed_won": str(won).lower(),
            "hs_is_closed_lost": str(stage.is_closed and not won).lower(),
        }
        if stage.is_closed and not changes.get("closedate", current.get("closedate")):
            calculated["closedate"] = iso(now)  # HubSpot stamps the close date when a deal closes without one
        return {**extra, **calculated}

    def ticket_values(self, current: Mapping[str, str], changes: Mapping[str, str], now: datetime) -> dict[str, str]:
        """A ticket write's pipeline and stage checked against each other; no pipeline named is the default one."""
        if "hs_pipeline" not in changes and "hs_pipeline_stage" not in changes:
            return {}
        pipeline, extra = self._written_pipeline("hs_pipeline", "0", current, changes)
        if stage_id := changes.get("hs_pipeline_stage", current.get("hs_pipeline_stage")):
            self._written_stage(pipeline, "hs_pipeline_stage", stage_id)
        return extra

    def _written_pipeline(self, name: str, default: str, current: Mapping[str, str],
                          changes: Mapping[str, str]) -> tuple[Pipeline, dict[str, str]]:
        """The pipeline a write leaves its record in (400 when there is none such), and the default it names."""
        pipeline_id = changes.get(name, current.get(name)) or default
        pipeline = self._pipelines.get(pipeline_id)
        if pipeline is None or pipeline.archived:
            allowed = ", ".join(p.id for p in self.all())
            problem = PropertyValueError(name, "INVALID_OPTION",
                                         f"{pipeline_id} was not one of the allowed options: [{allowed}]")
            raise invalid_property_values([problem], self._portal_id)
        return pipeline, {name: pipeline_id} if not current.get(name) and name not in changes else {}

    def _written_stage(self, pipeline: Pipeline, name: str, stage_id: str) -> Stage:
        stage = pipeline.stage(stage_id)
        if stage is None:
            allowed = ", ".join(s.id for s in pipeline.stages if not s.archived)
            problem = PropertyValueError(name, "INVALID_OPTION",
                                         f"{stage_id} was not one of the allowed options: [{allowed}]")
            raise invalid_property_values([problem], self._portal_id)
        return stage

    # --- snapshots ---------------------------------------------------------------------------------------------

    def export(self) -> list[dict[str, Any]]:
        return [p.dump() for p in self._pipelines.values()]
