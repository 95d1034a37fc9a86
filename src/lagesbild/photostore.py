"""Where full-size photos are kept: in the database row (the default, both backends) or as
files in the folder named by LAGESBILD_PHOTO_DIR. One small interface, chosen by configuration."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Protocol

from lagesbild.models import Photo

ENV = "LAGESBILD_PHOTO_DIR"


class PhotoStore(Protocol):
    def put(self, photo: Photo, data: bytes) -> None: ...

    def get(self, photo: Photo) -> bytes: ...

    def delete(self, photo: Photo) -> None: ...


class DatabaseStore:
    """The bytes in the photo row itself (a large binary column)."""

    def put(self, photo: Photo, data: bytes) -> None:
        photo.data = data
        photo.storage_key = None

    def get(self, photo: Photo) -> bytes:
        return photo.data or b""

    def delete(self, photo: Photo) -> None:
        photo.data = None


class FolderStore:
    """One file per photo under a folder, named by a random key kept in the row."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        if not key.isalnum():  # the key is ours; never follow anything else
            raise ValueError("bad photo key")
        return self.folder / f"{key}.jpg"

    def put(self, photo: Photo, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(16)
        path = self._path(key)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        photo.storage_key = key
        photo.data = None

    def get(self, photo: Photo) -> bytes:
        if photo.storage_key is None:
            return photo.data or b""  # stored before the folder was configured
        return self._path(photo.storage_key).read_bytes()

    def delete(self, photo: Photo) -> None:
        if photo.storage_key:
            self._path(photo.storage_key).unlink(missing_ok=True)


def configured() -> PhotoStore:
    folder = os.environ.get(ENV, "").strip()
    return FolderStore(folder) if folder else DatabaseStore()
