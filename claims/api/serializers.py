from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims import permissions, services
from claims.api import fields, representations
from claims.api.schema import NOT_BLANK
from claims.importers.web_pages import UnreadablePage, article_from_page
from claims.models import Annotation, Article, Claim, ErrorType, Severity, Source, Verdict
from claims.validation import article_problems


class ErrorTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ErrorType
        fields = ["slug", "name", "definition", "family", "is_active"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "title",
            "publisher",
            "published_on",
            "quoted_passage",
            "accessed_on",
        ]


class VerdictSerializer(serializers.ModelSerializer):
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)

    class Meta:
        model = Verdict
        fields = ["id", "claim", "reviewer", "label", "note", "version", "created_at", "updated_at"]
        read_only_fields = ["claim"]


class VerdictInputSerializer(serializers.Serializer):
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.with_article())
    label = fields.ChoiceField(choices=Verdict.Label.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AnnotationSerializer(serializers.ModelSerializer):
    """How an annotation reads: resolved offsets and quote, error type by slug."""

    article = serializers.IntegerField(source="claim.article_id", read_only=True)
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)
    error_type = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    error_type_name = serializers.CharField(source="error_type.name", read_only=True)
    sources = SourceSerializer(many=True, read_only=True)

    class Meta:
        model = Annotation
        fields = [
            "id",
            "claim",
            "article",
            "reviewer",
            "start",
            "end",
            "quote",
            "anchor",
            "error_type",
            "error_type_name",
            "correction",
            "note",
            "severity",
            "sources",
            "version",
            "created_at",
            "updated_at",
        ]


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "description": "The id of a source already stored."},
            {"$ref": "#/components/schemas/SourceRequest"},
        ]
    }
)
class SourceReferenceField(serializers.Field):
    """A source given as the id of an existing one, or as an object with at least a url."""

    default_error_messages = {
        "missing": "There is no source with id {value}.",
        "shape": "Give a source as its id or as an object with a “url”.",
    }

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            user = self.context["request"].user
            source = permissions.visible_sources(user, Source.objects.filter(pk=data)).first()
            if source is None:
                self.fail("missing", value=data)
            return source
        if isinstance(data, dict):
            new = SourceSerializer(data=data)
            new.is_valid(raise_exception=True)
            return services.NewSource(**new.validated_data)
        self.fail("shape")

    def to_representation(self, value):
        return SourceSerializer(value).data


class AnnotationInputSerializer(serializers.Serializer):
    """What a reviewer sends: the span as start/end article offsets or as an exact quote."""

    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.with_article())
    start = serializers.IntegerField(required=False, min_value=0)
    end = serializers.IntegerField(required=False, min_value=0)
    quote = serializers.CharField(required=False, trim_whitespace=False)
    error_type = fields.SlugRelatedField(
        slug_field="slug", queryset=ErrorType.objects.filter(is_active=True)
    )
    correction = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    severity = fields.ChoiceField(choices=Severity.choices, default=Severity.MAJOR)
    sources = serializers.ListField(child=SourceReferenceField(), required=False, default=list)

    def validate(self, attrs):
        claim = attrs.get("claim") or self.instance.claim
        span = {key: attrs[key] for key in ("start", "end", "quote") if key in attrs}
        if span or self.instance is None:
            # Resolve now so that a bad span is a 400 naming the field, before any write.
            attrs["start"], attrs["end"], attrs["quote"] = services.resolve_span(claim, **span)
        return attrs


class AnnotationUpdateSerializer(AnnotationInputSerializer):
    claim = None  # an annotation stays on its claim
    sources = serializers.ListField(child=SourceReferenceField(), required=False)


class ClaimSerializer(serializers.ModelSerializer):
    """The fields below describe a claim (and the OpenAPI schema); the output is written by
    ``representations.claim_representation``, the same dict at a fraction of the cost."""

    annotations = AnnotationSerializer(many=True, read_only=True)
    verdicts = VerdictSerializer(many=True, read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "article",
            "order",
            "paragraph",
            "start",
            "end",
            "text",
            "kind",
            "annotations",
            "verdicts",
        ]

    def to_representation(self, instance):
        return representations.claim_representation(instance)


class ArticleSerializer(serializers.ModelSerializer):
    imported_by = serializers.CharField(
        source="imported_by.username", read_only=True, default=None, allow_null=True
    )
    claim_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "url",
            "outlet",
            "byline",
            "published_on",
            "language",
            "content_hash",
            "imported_by",
            "imported_at",
            "claim_count",
        ]


class ArticleDetailSerializer(ArticleSerializer):
    claims = ClaimSerializer(many=True, read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "text", "claims"]


# The importer strips the text itself (trim_whitespace=False keeps its offsets), so the
# serializer checks here what the schema says.
ARTICLE_TEXT = NOT_BLANK
ARTICLE_TEXT_MESSAGE = "The article has no text, or it contains NUL (\\x00) characters."

PLAIN_TEXT_ARTICLE = {
    "type": "string",
    "pattern": ARTICLE_TEXT,
    "description": "The article as plain text; its first line is the title.",
}


class ArticleInputSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    text = serializers.CharField(
        trim_whitespace=False,
        validators=[RegexValidator(ARTICLE_TEXT, message=ARTICLE_TEXT_MESSAGE)],
    )
    url = serializers.URLField(required=False, allow_null=True, allow_blank=True, max_length=1000)
    outlet = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    byline = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    published_on = serializers.DateField(required=False, allow_null=True)
    language = serializers.CharField(required=False, default="en", max_length=16)

    def validate(self, attrs):
        # The same rules as import_articles, so a file line and a POST agree.
        if problems := article_problems(attrs):
            raise serializers.ValidationError(
                {name: f"The {name} {problem}." for name, problem in problems.items()}
            )
        return attrs


SAVED_PAGE_ARTICLE = {
    "type": "string",
    "description": "A saved web page (HTML). Its main text becomes the article's, with the "
    "headline as first line; title, author, date, site name and canonical url are read from "
    "the page; the page itself is kept (``GET …/{id}/source-html/``).",
}


class SavedPageInputSerializer(serializers.Serializer):
    """A web page posted as ``text/html``: the article is extracted from it."""

    html = serializers.CharField(trim_whitespace=False)

    def validate(self, attrs):
        try:
            page = article_from_page(attrs["html"])
        except UnreadablePage as error:
            raise serializers.ValidationError(
                {"html": f"The page cannot be imported: {error}."}
            ) from None
        fields = page.fields()
        if problems := article_problems(fields):  # the same rules as every article
            raise serializers.ValidationError(
                {name: f"The {name} {problem}." for name, problem in problems.items()}
            )
        return {**fields, "source_html": attrs["html"]}


class SavedPageSerializer(serializers.ModelSerializer):
    """The web page an article was imported from, as it was imported."""

    class Meta:
        model = Article
        fields = ["id", "url", "source_html"]


class ArticleRevisionInputSerializer(serializers.Serializer):
    """An editor's revised text of an article (and, optionally, a new title)."""

    whole_on_patch = True  # the revision PATCH reads it whole: claims.api.schema documents so

    text = serializers.CharField(
        trim_whitespace=False,
        validators=[RegexValidator(ARTICLE_TEXT, message=ARTICLE_TEXT_MESSAGE)],
    )
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class RevisionReportSerializer(serializers.Serializer):
    """How a revision re-anchored the article's labels: counts per anchor."""

    revision = serializers.IntegerField(source="revision.pk")
    annotations = serializers.DictField(child=serializers.IntegerField())
    final_labels = serializers.DictField(child=serializers.IntegerField())
    claims = serializers.DictField(child=serializers.IntegerField())
    verdicts = serializers.DictField(child=serializers.IntegerField())


class CredentialsSerializer(serializers.Serializer):
    """What ``auth/token/`` reads (DRF's own serializer does the checking)."""

    username = serializers.CharField(min_length=1)
    password = serializers.CharField(min_length=1, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
