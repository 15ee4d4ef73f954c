"""Reading an export response: its streamed body, and the records tests look for."""

from django.http import StreamingHttpResponse


def body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def export(client, query: str) -> str:
    response = client.get(f"/api/v1/export/claims?{query}")
    assert response.status_code == 200, response.content
    return body(response)


def foreign_minister(records):
    return next(a for r in records for a in r["annotations"] if a["quote"] == "Foreign Minister")
