import hashlib
import io

from django.core.management import call_command

from claims.models import Annotation, Article, Verdict


def test_load_seeds_loads_the_gold_annotations_once(db):
    out = io.StringIO()
    call_command("load_seeds", stdout=out)
    assert "1 new article(s), 9 new annotation(s), 3 new verdict(s)" in out.getvalue()
    call_command("load_seeds", stdout=out)
    assert Article.objects.count() == 1
    assert Annotation.objects.count() == 9
    assert Verdict.objects.count() == 3
    tag = Annotation.objects.get(error_type__slug="wrong-title")
    assert (tag.quote, tag.start, tag.end, tag.correction) == (
        "Foreign Minister",
        65,
        81,
        "Secretary of State",
    )
    assert tag.sources.get().publisher == "U.S. Department of State"


def test_seed_article_is_a_byte_for_byte_copy(seed_text):
    # The sha256 of shared/seeds/000_960e6f1771d37f21.txt, the article as it was given to us.
    assert hashlib.sha256(seed_text.encode("utf-8")).hexdigest() == (
        "f6a3809576bc135f54b7d11ba22174b0268aae85fb218ffcabe514dd6e1df1bb"
    )
