"""List folders (lists v3 "folders basics"): a tree under the root folder "0", holding lists."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simulator.errors import ObjectNotFound, ValidationError
from simulator.wire import iso

ROOT = "0"  # HubSpot's root folder id (GET /crm/v3/lists/folders defaults folderId to 0)


@dataclass
class Folder:
    id: str
    name: str
    parent_id: str | None
    created_at: datetime
    updated_at: datetime


class FolderStore:
    def __init__(self, now: Callable[[], datetime], lists_in: Callable[[str], list[str]]):
        self._now = now
        self._lists_in = lists_in  # the ids of the live lists in a folder
        self._ids = itertools.count(1)
        at = now()
        self._folders: dict[str, Folder] = {ROOT: Folder(ROOT, "Root", None, at, at)}

    def get(self, folder_id: str) -> Folder:
        found = self._folders.get(folder_id)
        if found is None:
            raise ObjectNotFound(f"Folder {folder_id} does not exist", context={"folderId": [folder_id]})
        return found

    def name_of(self, folder_id: str | None) -> str | None:
        found = self._folders.get(folder_id) if folder_id else None
        return found.name if found is not None and found.id != ROOT else None

    def check(self, folder_id: str | None) -> str | None:
        """A list's folder as stored (None is the root); an unknown folder is refused."""
        if folder_id in (None, ROOT):
            return None
        return self.get(folder_id).id

    def create(self, name: str, parent_id: str | None) -> Folder:
        parent = self.get(parent_id or ROOT)
        self._check_name(name, parent.id)
        now = self._now()
        folder = Folder(str(next(self._ids)), name, parent.id, now, now)
        self._folders[folder.id] = folder
        return folder

    def rename(self, folder_id: str, name: str | None) -> Folder:
        folder = self._movable(folder_id)
        if not name:
            raise ValidationError("newFolderName is required")
        self._check_name(name, folder.parent_id)
        folder.name, folder.updated_at = name, self._now()
        return folder

    def move(self, folder_id: str, parent_id: str) -> Folder:
        folder, parent = self._movable(folder_id), self.get(parent_id)
        ancestor: Folder | None = parent
        while ancestor is not None:
            if ancestor.id == folder.id:
                raise ValidationError(f"Folder {folder_id} cannot move into itself or one of its folders")
            ancestor = self._folders.get(ancestor.parent_id) if ancestor.parent_id else None
        folder.parent_id, folder.updated_at = parent.id, self._now()
        return folder

    def delete(self, folder_id: str) -> None:
        folder = self._movable(folder_id)
        if self._children(folder.id) or self._lists_in(folder.id):
            raise ValidationError(f"Folder {folder_id} is not empty: move or delete its folders and lists first")
        del self._folders[folder.id]

    def _movable(self, folder_id: str) -> Folder:
        if folder_id == ROOT:
            raise ValidationError("The root folder cannot be changed")
        return self.get(folder_id)

    def _check_name(self, name: str, parent_id: str | None) -> None:
        if any(f.parent_id == parent_id and f.name.lower() == name.lower() for f in self._folders.values()):
            raise ValidationError(f"A folder named {name!r} already exists in folder {parent_id}")

    def _children(self, folder_id: str) -> list[Folder]:
        return [f for f in self._folders.values() if f.parent_id == folder_id]

    def view(self, folder: Folder) -> dict[str, Any]:
        """PublicListFolder with its whole subtree."""
        return {
            "id": folder.id,
            "name": folder.name,
            "parentFolderId": folder.parent_id or ROOT,
            "childNodes": [self.view(child) for child in self._children(folder.id)],
            "childLists": self._lists_in(folder.id),
            "createdAt": iso(folder.created_at),
            "updatedAt": iso(folder.updated_at),
        }

    # --- snapshots ---------------------------------------------------------------------------------------------

    def export(self) -> list[dict[str, Any]]:
        return [
            {"id": f.id, "name": f.name, "parentId": f.parent_id, "createdAt": f.created_at.isoformat(),
             "updatedAt": f.updated_at.isoformat()}
            for f in self._folders.values() if f.id != ROOT
        ]  # fmt: skip

    def restore(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            folder = Folder(str(row["id"]), str(row["name"]), row["parentId"],
                            datetime.fromisoformat(row["createdAt"]), datetime.fromisoformat(row["updatedAt"]))  # fmt: skip
            if not folder.id.isdigit() or folder.id in self._folders:
                raise ValueError(f"folder id {folder.id!r} is repeated or not a number")
            self._folders[folder.id] = folder
        for folder in self._folders.values():
            if folder.parent_id is not None and folder.parent_id not in self._folders:
                raise ValueError(f"folder {folder.id} has a missing parent {folder.parent_id}")
        self._ids = itertools.count(max((int(i) for i in self._folders), default=0) + 1)
