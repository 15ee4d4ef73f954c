"""The one normal form of a source's URL, by which a source typed again is found."""

import pytest

from claims.text.source_urls import normalise_url


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("https://www.state.gov/a/", "https://www.state.gov/a/"),
        ("HTTPS://WWW.State.GOV/a/", "https://www.state.gov/a/"),
        ("https://www.state.gov/a/#bio", "https://www.state.gov/a/"),
        ("https://www.state.gov", "https://www.state.gov/"),
        ("https://www.state.gov#top", "https://www.state.gov/"),
        ("https://www.state.gov:443/a", "https://www.state.gov/a"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("https://example.org?q=1", "https://example.org/?q=1"),
    ],
)
def test_variants_of_one_address_normalise_alike(typed, normal):
    assert normalise_url(typed) == normal


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        # The path and query are the server's to interpret: their case, a trailing slash
        # and the order of parameters are kept.
        ("https://example.org/A/B", "https://example.org/A/B"),
        ("https://example.org/a", "https://example.org/a"),
        ("https://example.org/a/", "https://example.org/a/"),
        ("https://example.org/a?b=2&a=1", "https://example.org/a?b=2&a=1"),
        ("https://example.org/a?Q=X", "https://example.org/a?Q=X"),
        # A port that is not the scheme's default names another server.
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("http://example.org:443/a", "http://example.org:443/a"),
        # Who logs in is not the host: its case is kept.
        ("https://Ann:Pw@Example.org/", "https://Ann:Pw@example.org/"),
        ("https://[2001:DB8::1]:443/a", "https://[2001:db8::1]/a"),
    ],
)
def test_what_tells_two_addresses_apart_is_kept(typed, normal):
    assert normalise_url(typed) == normal


def test_normalising_twice_changes_nothing():
    once = normalise_url("HTTP://Example.ORG:80#x")
    assert normalise_url(once) == once == "http://example.org/"


def test_an_address_it_cannot_read_is_only_trimmed():
    # The URL validator refuses it; the normal form must not fail first.
    assert normalise_url(" https://example.org:99999999/a ") == "https://example.org:99999999/a"
