"""Agreement between reviewers in the admin: the statistics page and the article's panel.

The chart is inline SVG laid out here and drawn by the template: no JavaScript and nothing
fetched from elsewhere, so it works behind a newsroom firewall and every label goes
through the template's escaping.
"""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

from claims import permissions
from claims.agreement_report import agreement_report
from claims.filters import ClaimFilter
from claims.models import Claim

CLAIM_LEVEL_TITLES = {
    "error": "Error or not",
    "error_type": "Error types",
    "verdict": "Verdict",
}

# Chart geometry, in SVG user units (pixels at 100%).
LABEL_WIDTH = 220  # error type names, right-aligned against the first panel
PANEL_WIDTH = 200  # the longest bar of each panel
PANEL_GAP = 90  # room for the value printed after a bar
ROW_HEIGHT = 28
HEADER_HEIGHT = 24


def _number(value, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def chart(report: dict) -> dict:
    """Bars per error type: agreement (alpha) on the left, raw and final counts on the right.

    Alpha runs from -1 to 1, but below 0 means "worse than chance", which a bar growing
    leftwards would make look like a quantity; such bars stay empty and the value is printed.
    """
    rows = report["error_types"]
    most = max([1, *(max(r["annotations"], r["final_labels"]) for r in rows.values())])
    alpha_x = LABEL_WIDTH
    count_x = alpha_x + PANEL_WIDTH + PANEL_GAP
    bars = []
    for index, (slug, row) in enumerate(rows.items()):
        alpha = row["krippendorff_alpha"]
        widths = {
            "alpha": max(alpha or 0.0, 0.0) * PANEL_WIDTH,
            "annotations": row["annotations"] / most * PANEL_WIDTH,
            "final": row["final_labels"] / most * PANEL_WIDTH,
        }
        bar = {
            "slug": slug,
            "name": row["name"],
            "y": HEADER_HEIGHT + index * ROW_HEIGHT,
            "alpha": _number(alpha),
            "annotations": row["annotations"],
            "final_labels": row["final_labels"],
        }
        for name, width in widths.items():
            # Formatted here: the template would localise a float's decimal point.
            bar[f"{name}_width"] = f"{width:.1f}"
            bar[f"{name}_value_dx"] = f"{width + 4:.1f}"  # the value, just past the bar
        bars.append(bar)
    return {
        "bars": bars,
        "width": count_x + PANEL_WIDTH + PANEL_GAP,
        "height": HEADER_HEIGHT + len(bars) * ROW_HEIGHT + 8,
        "label_x": LABEL_WIDTH - 8,
        "alpha_x": alpha_x,
        "count_x": count_x,
        "panel_width": PANEL_WIDTH,
    }


def statistics_view(model_admin, request):
    if not permissions.sees_all_work(request.user):
        raise PermissionDenied
    # The claim filters of the API, so ``?article=`` (and the others) mean the same here.
    claims = ClaimFilter(request.GET, queryset=Claim.objects.all(), request=request)
    report = agreement_report(claims.qs) if claims.is_valid() else None
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Agreement between reviewers",
        "filter_form": claims.form,
        "report": report,
        "claim_level": [
            (CLAIM_LEVEL_TITLES[kind], values)
            for kind, values in (report["claim_level"].items() if report else ())
        ],
        "chart": chart(report) if report else None,
    }
    return TemplateResponse(request, "admin/claims/statistics.html", context)


def article_agreement_html(article):
    """A small table of agreement on ``article``, for its change page."""
    if article is None or article.pk is None:
        return ""
    report = agreement_report(article.claims.all())
    if not report["claims"]:
        return format_html(
            "<p>{}</p>", "Agreement needs at least two submitted reviews of this article."
        )
    claim_rows = format_html_join(
        "",
        "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                CLAIM_LEVEL_TITLES[kind],
                values["items"],
                _number(values["krippendorff_alpha"]),
                _number(
                    values["cohen_kappa"]
                    if values["cohen_kappa"] is not None
                    else values["fleiss_kappa"]
                ),
                _number(values["percent_agreement"]),
            )
            for kind, values in report["claim_level"].items()
        ),
    )
    span_rows = format_html_join(
        "",
        '<tr><th>{} – {}</th><td colspan="2">exact F1 {}</td><td colspan="2">overlap F1 {}'
        "</td></tr>",
        (
            (*pair["reviewers"], _number(pair["exact_f1"]), _number(pair["overlap_f1"]))
            for pair in report["spans"]
        ),
    )
    return format_html(
        '<table class="fc-agreement"><thead><tr><th>Reviewers: {}</th><th>claims</th>'
        "<th>Krippendorff’s α</th><th>κ (Cohen for two, else Fleiss)</th>"
        "<th>agreement</th></tr></thead><tbody>{}{}</tbody></table>",
        ", ".join(report["reviewers"]),
        claim_rows,
        span_rows,
    )
