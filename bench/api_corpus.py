"""A large PostgreSQL corpus for the API and admin load benchmark, built by the database.

``build(claims)`` fills the configured database (Django settings, i.e. ``DATABASE_URL``) up
to about that many claims, in a few INSERT … SELECT statements over ``generate_series``:
a million claims take about a minute, where saving them through the ORM would take an
hour. It keeps what is there, so a second run on the same database costs one count.

The shape follows issue 9: articles of about 20 claims (pieces of the seed article, each
closed by a line of its own so that no two texts are equal); on 1 claim in 5, two
reviewers' annotations citing one source and their verdicts, a third reviewer on 1 in
15; an editor's adjudication with a final label on 1 in 10; every article assigned to
the reviewers, the first two having submitted. Each claim's text is the article's text
between its offsets, as the importer would store it.

It is a small function on purpose, to be swapped for the general ``bench/corpus.py``.
"""

from pathlib import Path

from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from rest_framework.authtoken.models import Token

from claims.models.articles import utf16_fields
from claims.offsets import Utf16Offsets, utf16_length
from claims.segmentation import split_into_claims

SEED_ARTICLE = Path(__file__).resolve().parent.parent / "seeds/articles/blinken-beijing-2023.txt"

REVIEWERS = ["bench-r0", "bench-r1", "bench-r2"]
EDITOR = "bench-eve"
CLAIMS_PER_TEMPLATE = 20


def templates() -> list[tuple[str, list]]:
    """Overlapping pieces of the seed article, each with its claims re-based to 0 (in code
    points, and in UTF-16 code units as ``Claim`` also stores them)."""
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    segments = split_into_claims(text)
    pieces = []
    for first in range(0, len(segments) - CLAIMS_PER_TEMPLATE + 1, CLAIMS_PER_TEMPLATE // 2):
        chosen = segments[first : first + CLAIMS_PER_TEMPLATE]
        begin, finish = chosen[0].start, chosen[-1].end
        base_paragraph = chosen[0].paragraph
        piece = text[begin:finish]
        utf16 = Utf16Offsets(piece)
        pieces.append(
            (
                piece,
                [
                    (
                        s.start - begin,
                        s.end - begin,
                        *utf16_fields(utf16, s.start - begin, s.end - begin),
                        s.text,
                        s.kind,
                        s.paragraph - base_paragraph,
                    )
                    for s in chosen
                ],
            )
        )
    return pieces


def accounts() -> dict[str, str]:
    """The three reviewers and the editor, each with an API token (username -> key)."""
    keys = {}
    for username, role in [*((name, "reviewer") for name in REVIEWERS), (EDITOR, "editor")]:
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=role))
        keys[username] = Token.objects.get_or_create(user=user)[0].key
    return keys


def claim_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM claims_claim")
        return cursor.fetchone()[0]


def build(claims: int) -> dict[str, str]:
    """Fill the database up to about ``claims`` claims; return the accounts' tokens."""
    if connection.vendor != "postgresql":
        raise SystemExit("The API load corpus is built by PostgreSQL; give a postgres:// URL.")
    keys = accounts()
    missing = claims - claim_count()
    if missing > 0:
        with transaction.atomic():
            _insert(articles=-(-missing // (CLAIMS_PER_TEMPLATE + 1)))
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # visibility maps: index-only counts
    return keys


def _insert(*, articles: int) -> None:
    ids = dict(User.objects.filter(username__in=[*REVIEWERS, EDITOR]).values_list("username", "id"))
    r0, r1, r2, eve = (ids[name] for name in [*REVIEWERS, EDITOR])
    pieces = templates()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_piece (piece int, text text, utf16_length int) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_piece_claim (piece int, ord int, paragraph int, "
            'start int, "end" int, start_utf16 int, end_utf16 int, text text, kind text) '
            "ON COMMIT DROP"
        )
        cursor.executemany(
            "INSERT INTO bench_piece VALUES (%s, %s, %s)",
            [(n, text, utf16_length(text)) for n, (text, _) in enumerate(pieces)],
        )
        cursor.executemany(
            "INSERT INTO bench_piece_claim VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                (n, order, paragraph, *offsets, text, kind)
                for n, (_, segments) in enumerate(pieces)
                for order, (*offsets, text, kind, paragraph) in enumerate(segments)
            ],
        )
        cursor.execute("SELECT coalesce(max(id), 0) FROM claims_article")
        first = cursor.fetchone()[0] + 1
        params = {
            "first": first,
            "last": first + articles - 1,
            "pieces": len(pieces),
            "r0": r0,
            "r1": r1,
            "r2": r2,
            "eve": eve,
        }
        for statement in STATEMENTS:
            cursor.execute(statement, params)


# Every article g ends with its own line, "Bench story g.", so texts (and hashes) differ.
STATEMENTS = [
    """
    INSERT INTO claims_article (id, title, text, url, outlet, byline, published_on, language,
                                content_hash, imported_at, source_html)
    SELECT g, split_part(p.text, E'\n', 1) || ' #' || g, full_text,
           'https://bench.example/story/' || g, 'Bench Outlet ' || (g %% 7), '',
           DATE '2023-01-01' + (g %% 700), 'en',
           encode(sha256(convert_to(full_text, 'UTF8')), 'hex'),
           now() - (%(last)s - g) * interval '1 minute', ''
    FROM generate_series(%(first)s, %(last)s) AS g
    JOIN bench_piece p ON p.piece = g %% %(pieces)s
    CROSS JOIN LATERAL (SELECT p.text || E'\n\nBench story ' || g || '.' AS full_text) t
    ORDER BY g
    """,
    "SELECT setval(pg_get_serial_sequence('claims_article', 'id'), %(last)s)",
    """
    INSERT INTO claims_claim (article_id, "order", paragraph, start, "end", start_utf16,
                              end_utf16, text, kind)
    SELECT a.id, c.ord, c.paragraph, c.start, c."end", c.start_utf16, c.end_utf16, c.text,
           c.kind
    FROM claims_article a JOIN bench_piece_claim c ON c.piece = a.id %% %(pieces)s
    WHERE a.id BETWEEN %(first)s AND %(last)s
    UNION ALL
    SELECT a.id, last.ord + 1, last.paragraph + 1, length(p.text) + 2, length(a.text),
           p.utf16_length + 2, p.utf16_length + length(a.text) - length(p.text),
           'Bench story ' || a.id || '.', 'boilerplate'
    FROM claims_article a
    JOIN bench_piece p ON p.piece = a.id %% %(pieces)s
    JOIN LATERAL (SELECT max(ord) AS ord, max(paragraph) AS paragraph FROM bench_piece_claim
                  WHERE piece = p.piece) last ON true
    WHERE a.id BETWEEN %(first)s AND %(last)s
    ORDER BY 1, 2
    """,
    """
    INSERT INTO claims_assignment (article_id, reviewer_id, state, assigned_at, submitted_at,
                                   assigned_by_id)
    SELECT a.id, r.reviewer, r.state, now(), CASE WHEN r.state = 'submitted' THEN now() END,
           %(eve)s
    FROM claims_article a
    CROSS JOIN (VALUES (%(r0)s, 'submitted'), (%(r1)s, 'submitted'), (%(r2)s, 'in_progress'))
         AS r(reviewer, state)
    WHERE a.id BETWEEN %(first)s AND %(last)s AND (r.reviewer <> %(r2)s OR a.id %% 3 = 0)
    """,
    # The tagged claims: 1 in 5, each tagged on its first word.
    """
    CREATE TEMP TABLE bench_tagged ON COMMIT DROP AS
    SELECT c.id AS claim_id, c.start,
           c.start + length(w.word) AS "end", w.word, c.id %% 15 = 0 AS third
    FROM claims_claim c
    CROSS JOIN LATERAL (SELECT CASE WHEN strpos(c.text, ' ') > 1
                        THEN substr(c.text, 1, strpos(c.text, ' ') - 1)
                        ELSE c.text END AS word) w
    WHERE c.article_id BETWEEN %(first)s AND %(last)s AND c.id %% 5 = 0
    """,
    """
    INSERT INTO claims_source (url, title, publisher, quoted_passage, added_at, added_by_id)
    SELECT 'https://evidence.example/' || claim_id, 'Evidence for claim ' || claim_id,
           'Bench Publisher', 'The passage that settles it.', now(), %(r0)s
    FROM bench_tagged ORDER BY claim_id
    """,
    """
    INSERT INTO claims_annotation (claim_id, reviewer_id, start, "end", quote, error_type_id,
                                   correction, note, severity, version, created_at, updated_at,
                                   anchor, prefix, suffix)
    SELECT t.claim_id, r.reviewer, t.start, t."end", t.word,
           (SELECT id FROM claims_errortype ORDER BY position, id
            OFFSET (t.claim_id / 5 + r.n) %% 15 LIMIT 1),
           'The right word', 'Checked against the source.', 'major', 1, now(), now(),
           'exact', '', ''
    FROM bench_tagged t
    CROSS JOIN (VALUES (0, %(r0)s), (1, %(r1)s), (2, %(r2)s)) AS r(n, reviewer)
    WHERE r.n < 2 OR t.third
    """,
    """
    INSERT INTO claims_annotation_sources (annotation_id, source_id)
    SELECT an.id, s.id
    FROM bench_tagged t
    JOIN claims_annotation an ON an.claim_id = t.claim_id
    JOIN claims_source s ON s.url = 'https://evidence.example/' || t.claim_id
    """,
    """
    INSERT INTO claims_verdict (claim_id, reviewer_id, label, note, version, created_at,
                                updated_at)
    SELECT an.claim_id, an.reviewer_id, 'inaccurate', '', 1, now(), now()
    FROM bench_tagged t JOIN claims_annotation an ON an.claim_id = t.claim_id
    """,
    """
    INSERT INTO claims_adjudication (claim_id, editor_id, verdict, note, version, created_at,
                                     updated_at)
    SELECT claim_id, %(eve)s, 'inaccurate', '', 1, now(), now()
    FROM bench_tagged WHERE claim_id %% 10 = 0
    """,
    """
    INSERT INTO claims_finalannotation (adjudication_id, start, "end", quote, error_type_id,
                                        correction, note, severity, anchor, prefix, suffix)
    SELECT ad.id, an.start, an."end", an.quote, an.error_type_id, an.correction, '', 'major',
           'exact', '', ''
    FROM bench_tagged t
    JOIN claims_adjudication ad ON ad.claim_id = t.claim_id
    JOIN claims_annotation an ON an.claim_id = t.claim_id AND an.reviewer_id = %(r0)s
    """,
    """
    INSERT INTO claims_finalannotation_from_annotations (finalannotation_id, annotation_id)
    SELECT f.id, an.id
    FROM bench_tagged t
    JOIN claims_adjudication ad ON ad.claim_id = t.claim_id
    JOIN claims_finalannotation f ON f.adjudication_id = ad.id
    JOIN claims_annotation an ON an.claim_id = t.claim_id AND an.reviewer_id = %(r0)s
    """,
    """
    INSERT INTO claims_finalannotation_sources (finalannotation_id, source_id)
    SELECT f.id, s.id
    FROM bench_tagged t
    JOIN claims_adjudication ad ON ad.claim_id = t.claim_id
    JOIN claims_finalannotation f ON f.adjudication_id = ad.id
    JOIN claims_source s ON s.url = 'https://evidence.example/' || t.claim_id
    """,
]
