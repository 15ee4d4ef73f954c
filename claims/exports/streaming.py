"""One export as the bytes a response or a file receives, and how many records it held.

A writer that only re-frames the JSONL bytes (``write_jsonl``) gets them straight from the
database's path; the CSV writer (``write_csv_lines``) gets its rows written by PostgreSQL,
where the database is PostgreSQL; one that only transforms records and queries nothing
(``reads_only_records = True``) gets them decoded from the JSONL bytes; any other writer
gets ``records()``, between which it may query the database. The API and
``export_claims`` both stream an ``Export``, so they hand out the same bytes.
"""

from collections.abc import Iterator

from claims.exports import links, shape
from claims.exports.records import (
    built_by_database,
    csv_chunks,
    decoded,
    jsonl_chunks,
    records,
)

CHUNK_BYTES = 64 * 1024  # text handed on at once, for writers that yield a little at a time


class Export:
    def __init__(
        self, writer, claims, *, labels: str = "all", site_url: str | None = None, **selection
    ):
        """``site_url``: where the linked-data addresses point (``links.at``; None: the
        configured site); ``selection``: the visibility querysets and ``chunk_size`` of
        ``records()``."""
        shape.check_labels(labels)
        self.writer, self.claims, self.labels, self.selection = writer, claims, labels, selection
        self.site_url = site_url
        self.records_written = 0  # known once the bytes have been read to the end

    def __iter__(self) -> Iterator[bytes]:
        return links.read_at(self.site_url, self._chunks())

    def _chunks(self) -> Iterator[bytes]:
        if hasattr(self.writer, "write_jsonl"):
            self._source = self._counted_lines()
            return self.writer.write_jsonl(self._source, labels=self.labels)
        if hasattr(self.writer, "write_csv_lines") and built_by_database(self.claims):
            self._source = self._counted_csv_lines()
            return self.writer.write_csv_lines(self._source, labels=self.labels)
        if getattr(self.writer, "reads_only_records", False):
            self._source = self._counted_lines()
            return self._encoded(self.writer.write(decoded(self._source), labels=self.labels))
        self._source = self._counted_records()
        return self._encoded(self.writer.write(self._source, labels=self.labels))

    def close(self) -> None:
        """Stop reading from the database now (the client went away): the response calls
        this, so an abandoned export ends its query rather than waiting to be collected."""
        source = getattr(self, "_source", None)
        if source is not None:
            source.close()

    def _counted_lines(self) -> Iterator[bytes]:
        for chunk in jsonl_chunks(self.claims, labels=self.labels, **self.selection):
            self.records_written += chunk.count(b"\n")
            yield chunk

    def _counted_csv_lines(self) -> Iterator[bytes]:
        for chunk, rows in csv_chunks(self.claims, labels=self.labels, **self.selection):
            self.records_written += rows
            yield chunk

    def _counted_records(self) -> Iterator[dict]:
        for record in records(self.claims, labels=self.labels, **self.selection):
            self.records_written += 1
            yield record

    @staticmethod
    def _encoded(texts) -> Iterator[bytes]:
        # Writers may yield a little at a time; the response gets chunks of a useful size.
        pending, size = [], 0
        for text in texts:
            pending.append(text)
            size += len(text)
            if size >= CHUNK_BYTES:
                yield "".join(pending).encode()
                pending, size = [], 0
        if pending:
            yield "".join(pending).encode()
