"""The cascading 縣市 → 鄉鎮市區 → 村里 choices: query functions and their JSON endpoints."""

from __future__ import annotations

import pytest
from django.test import Client

from cardreg.registry import divisions

pytestmark = pytest.mark.usefixtures("divisions")


def test_counties_come_north_to_south_not_in_code_order() -> None:
    names = [c.name for c in divisions.counties()]
    # Codes would give 金門縣 (09020), 花蓮縣 (10015), 臺北市 (63000), 高雄市 (64000), ...
    assert names == ["臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市", "花蓮縣", "金門縣"]


def test_townships_and_villages_are_those_of_their_parent_in_code_order() -> None:
    assert [t.name for t in divisions.townships("臺北市")] == ["大安區", "中正區"]
    assert [v.code for v in divisions.villages("臺北市", "中正區")] == [
        "63000050001",
        "63000050002",
        "63000050017",
        "63000050022",
        "63000050026",
    ]
    assert divisions.townships("臺北縣") == []
    assert divisions.villages("新北市", "中正區") == []


def test_the_endpoints_cascade(client: Client) -> None:
    townships = client.get("/registry/townships", {"county": "臺北市"}).json()["items"]
    assert townships == [
        {"value": "大安區", "label": "大安區"},
        {"value": "中正區", "label": "中正區"},
    ]
    response = client.get("/registry/villages", {"county": "臺北市", "township": "中正區"})
    assert response.status_code == 200
    assert {"value": "黎明里", "label": "黎明里"} in response.json()["items"]
    assert len(response.json()["items"]) == 5


def test_surrounding_spaces_in_a_parameter_are_ignored(client: Client) -> None:
    response = client.get("/registry/townships", {"county": " 花蓮縣 "})
    assert [i["value"] for i in response.json()["items"]] == ["花蓮市", "吉安鄉"]


@pytest.mark.parametrize(
    ("url", "params", "code", "message"),
    [
        ("/registry/townships", {}, "county_required", "請選擇縣市。"),
        ("/registry/townships", {"county": "  "}, "county_required", "請選擇縣市。"),
        ("/registry/townships", {"county": "台北市"}, "county_unknown", "查無此縣市"),
        ("/registry/townships", {"county": "臺北市\x00"}, "county_unknown", "查無此縣市"),
        ("/registry/townships", {"county": "市" * 5000}, "county_unknown", "查無此縣市"),
        ("/registry/villages", {"township": "中正區"}, "county_required", "請選擇縣市"),
        ("/registry/villages", {"county": "臺北市"}, "township_required", "請選擇鄉鎮市區"),
        (
            "/registry/villages",
            {"county": "臺北縣", "township": "中正區"},
            "county_unknown",
            "查無此縣市",
        ),
        (
            "/registry/villages",
            {"county": "臺北市", "township": "板橋區"},
            "township_unknown",
            "查無此鄉鎮市區",
        ),
    ],
)
def test_bad_parameters_get_a_400_with_a_message(
    client: Client, url: str, params: dict[str, str], code: str, message: str
) -> None:
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == code
    assert message in response.json()["message"]


def test_only_get_is_allowed(client: Client) -> None:
    assert client.post("/registry/townships", {"county": "臺北市"}).status_code == 405
