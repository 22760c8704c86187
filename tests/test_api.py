import json

from directory import search

from .factories import make_agency, make_mailbox, make_official


def get_json(client, params):
    response = client.get("/api/v1/search", params)
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_search_answers_the_documented_shape(client, department):
    status, data = get_json(client, {"q": "thong tin long an"})
    assert status == 200
    assert data["count"] == 2
    assert data["results"][0] == {
        "address": "stt@longan.gov.vn",
        "name": "Sở Thông tin và Truyền thông tỉnh Long An",
        "position": None,
        "agency": "Sở Thông tin và Truyền thông tỉnh Long An",
        "agency_code": "000.31.00.H37",
        "province": "Tây Ninh",
        "kind": "agency",
    }
    assert data["results"][1]["name"] == "Hoàng Văn Ví Dụ"
    assert data["results"][1]["position"] == "Giám đốc"
    assert data["results"][1]["kind"] == "personal"


def test_province_filter_by_code_or_slug(client, department, gia_lai):
    make_mailbox(make_agency(gia_lai, "Sở Thông tin tỉnh Gia Lai"), "stt@gialai.gov.vn")
    for province in ("52", "gia-lai"):
        _, data = get_json(client, {"q": "so thong tin", "province": province})
        assert [result["address"] for result in data["results"]] == ["stt@gialai.gov.vn"]


def test_unknown_province_and_missing_query_are_400(client, db):
    status, data = get_json(client, {"q": "so", "province": "99"})
    assert status == 400 and "province" in data["errors"]
    status, data = get_json(client, {})
    assert status == 400 and "q" in data["errors"]


def test_page_size_is_capped(client, department, settings):
    settings.DIRECTORY_API_MAX_PAGE_SIZE = 3
    for number in range(5):
        make_mailbox(
            department,
            f"so{number}@longan.gov.vn",
            official=make_official(department, f"Người Số {number}"),
        )
    _, data = get_json(client, {"q": "long an", "page_size": 1000})
    assert data["count"] == 7
    assert len(data["results"]) == 3


def test_never_answers_unpublished_people(client, department):
    hidden = make_official(department, "Lê Kín Đáo", published=False)
    make_mailbox(department, "daolk@longan.gov.vn", official=hidden)
    _, data = get_json(client, {"q": "kin dao"})
    assert data == {"count": 0, "count_capped": False, "page": 1, "results": []}


def test_only_get(client, db):
    assert client.post("/api/v1/search", {"q": "so"}).status_code == 405


def test_a_count_past_the_limit_is_capped(client, department, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 1)
    _, data = get_json(client, {"q": "thong tin long an"})
    assert (data["count"], data["count_capped"]) == (1, True)
    assert [result["address"] for result in data["results"]] == ["stt@longan.gov.vn"]
    _, data = get_json(client, {"q": "vi du"})
    assert (data["count"], data["count_capped"]) == (1, False)
