"""Integers beyond any ledger answer 422 with the bound named (not 500), on the API, the pages and
the command line: every list's offset, an aging ladder's bucket limits, a page number."""

from __future__ import annotations

API = "/api/v1"
HUGE = "9223372036854775808"  # 2**63: one past the engines' integers


def test_every_list_route_refuses_an_offset_past_its_bound(server, acme, tokens):
    with server.client(tokens["admin"]) as client:
        document = client.get(API + "/openapi.json").json()
        paged = [path for path, operations in document["paths"].items() if "get" in operations
                 and any(p["name"] == "offset" for p in operations["get"].get("parameters", []))
                 and "{" not in path]
        assert len(paged) >= 6
        for path in paged:
            for offset in (HUGE, "1000000001"):
                answer = client.get(path, params={"offset": offset})
                assert answer.status_code == 422, (path, offset, answer.status_code)
            assert client.get(path, params={"offset": "1000000000"}).status_code == 200, path


LADDER = {"as_of": "2024-06-30", "buckets": "30,60,999999999"}


def test_an_aging_ladder_beyond_a_hundred_years_is_refused_by_the_api(server, acme, tokens):
    with server.client(tokens["admin"]) as client:
        answer = client.get(API + "/reports/aging", params=LADDER)
    assert answer.status_code == 422 and "over 36,500 days" in answer.text


def test_an_aging_ladder_beyond_a_hundred_years_is_refused_by_the_page(people, pages):
    page = pages("admin", "en").get("/reports/aging", params=LADDER)
    assert page.status_code == 422 and "over 36,500 days" in page.text


def test_an_aging_ladder_beyond_a_hundred_years_is_refused_by_the_command(cli_acme):
    code, _, err = cli_acme("report", "aging", "--as-of", "2024-06-30", "--buckets", "30,60,999999999")
    assert code == 2 and "over 36,500 days" in err and "Traceback" not in err


def test_a_page_number_past_every_ledger_is_refused_on_the_pages(people, pages):
    client = pages("admin", "en")
    for path in ("/invoices", "/customers", "/payments", "/risk/alerts"):
        answer = client.get(path, params={"page": "99999999999999999999"})
        assert answer.status_code == 422, (path, answer.status_code)
