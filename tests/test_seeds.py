import hashlib
import io

from django.core.management import call_command

from claims.models import Annotation, Article, Assignment, FinalAnnotation, Verdict


def test_load_seeds_loads_two_reviews_and_the_adjudication_once(db):
    out = io.StringIO()
    call_command("load_seeds", stdout=out)
    assert (
        "1 new article(s), 14 new annotation(s), 6 new verdict(s), 8 new final label(s)"
        in out.getvalue()
    )
    call_command("load_seeds", stdout=out)
    assert Article.objects.count() == 1
    assert Annotation.objects.count() == 14
    assert Verdict.objects.count() == 6
    assert FinalAnnotation.objects.count() == 8
    assert set(Assignment.objects.values_list("reviewer__username", "state")) == {
        ("ann", "submitted"),
        ("ben", "submitted"),
    }
    tag = Annotation.objects.get(error_type__slug="wrong-title", reviewer__username="ann")
    assert (tag.quote, tag.start, tag.end, tag.correction) == (
        "Foreign Minister",
        65,
        81,
        "Secretary of State",
    )
    assert tag.sources.get().publisher == "U.S. Department of State"
    final = FinalAnnotation.objects.get(error_type__slug="wrong-title")
    assert final.adjudication.editor.username == "eve"
    assert set(final.from_annotations.values_list("reviewer__username", flat=True)) == {
        "ann",
        "ben",
    }


def test_seed_article_is_a_byte_for_byte_copy(seed_text):
    # The sha256 of shared/seeds/000_960e6f1771d37f21.txt, the article as it was given to us.
    assert hashlib.sha256(seed_text.encode("utf-8")).hexdigest() == (
        "f6a3809576bc135f54b7d11ba22174b0268aae85fb218ffcabe514dd6e1df1bb"
    )
