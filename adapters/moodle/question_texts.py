"""What an imported question's texts become: Markdown (adapters/documents/rich_text.py), with what each
conversion could not keep named once per question (RichTexts), and the files they embed
(EmbeddedFile, Moodle XML), linked from the texts as FILE_LINK + the file's index until the
import stores them (commands/classroom/imported_files.py)."""

from __future__ import annotations

from dataclasses import dataclass

from adapters.documents.rich_text import SourceFormat, to_markdown

FILE_LINK = "skillhub-file:"


@dataclass(frozen=True)
class EmbeddedFile:
    name: str
    data: bytes
    missing: str = ""  # why the bytes are not there (then data is empty)


class RichTexts:
    """Converts one question's texts to Markdown and collects what the conversions lost, so the
    import names each loss once for the question."""

    def __init__(self) -> None:
        self.lost: list[str] = []

    def convert(self, text: str, fmt: SourceFormat) -> str:
        converted = to_markdown(text, fmt)
        self.lost += [note for note in converted.lost if note not in self.lost]
        return converted.markdown

    def report(self, name: str, warnings: list[str]) -> None:
        warnings += [f"'{name}': {note}" for note in self.lost]
