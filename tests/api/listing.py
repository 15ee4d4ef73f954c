"""Reading a whole claim list the way a client does: page after page, by the next links."""


def claim_ids(client, url: str) -> list[int]:
    ids = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        page = response.json()
        ids += [claim["id"] for claim in page["results"]]
        url = page["next"]
    return ids
