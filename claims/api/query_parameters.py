"""The query parameters a list takes, and a 400 for any other.

DRF and django-filter ignore a parameter they do not know: ``/verdicts/?reviewer=demo``
answered every verdict, as if it had been filtered, and a misspelt filter looked like an
empty or a full result. Every list refuses such a parameter instead, naming it and the
parameters the list takes. What a list takes is read from where the OpenAPI schema reads
it: the view's filter backends and its paginator, plus DRF's ``?format=``.
"""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend
from rest_framework.settings import api_settings

from claims.text.excerpts import excerpt

# Per view class: its backends, filter set and paginator are declared on the class.
_TAKEN_BY: dict[type, frozenset[str]] = {}


class KnownParameters(BaseFilterBackend):
    """A filter backend (first of ``DEFAULT_FILTER_BACKENDS``) that filters nothing and
    refuses a list request with a parameter no other backend or the paginator reads."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) == "list":
            refuse_unknown(request, list_parameters(view))
        return queryset


def list_parameters(view) -> frozenset[str]:
    """The query parameters ``view``'s list reads."""
    known = _TAKEN_BY.get(type(view))
    if known is None:
        names = {api_settings.URL_FORMAT_OVERRIDE}
        for backend_class in view.filter_backends:
            names |= _backend_parameters(backend_class(), view)
        if view.paginator is not None:
            names |= {p["name"] for p in view.paginator.get_schema_operation_parameters(view)}
        known = _TAKEN_BY[type(view)] = frozenset(names - {None})
    return known


def _backend_parameters(backend, view) -> set[str]:
    if isinstance(backend, DjangoFilterBackend):
        # The filter set's own names (django-filter's schema method is deprecated).
        filterset = backend.get_filterset_class(view, view.get_queryset())
        return set(filterset.base_filters) if filterset is not None else set()
    return {p["name"] for p in backend.get_schema_operation_parameters(view)}


def refuse_unknown(request, known) -> None:
    """A 400 naming each query parameter of ``request`` that is not in ``known``."""
    unknown = [name for name in request.query_params if name not in known]
    if unknown:
        takes = ", ".join(sorted(known))
        raise ValidationError(
            {
                name: [f"“{excerpt(name)}” is not a parameter of this list; it takes {takes}."]
                for name in unknown
            }
        )
