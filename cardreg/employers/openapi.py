"""The OpenAPI 3.1 document of the HR-system API, served at /api/v1/openapi.json.

Written by hand, next to cardreg.employers.api: a test resolves every path here against
api_urls (and every route there against this), and checks the methods, so the two cannot drift.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from cardreg.employers.api.shapes import BATCHES_PAGE, MAX_OFFSET, RESULTS_PAGE

ERROR_CODES = {
    "missing_token": "401: no Authorization: Bearer header",
    "invalid_token": "401: unknown or revoked token",
    "no_access": "403: the token's person no longer acts for the unit",
    "missing_right": "403: the person lacks the right this call needs",
    "not_found": "404: no such batch, not visible to this person, or older than 3 months",
    "method_not_allowed": "405: see the Allow header",
    "not_finished": "409: the batch has no log yet",
    "unreadable_request": "400: the multipart body cannot be parsed",
    "file_required": "400: no multipart field `file`",
    "contact_required": "400: contact_name or contact_email missing (the person has no account)",
    "invalid_contact_name": "400: contact_name too long",
    "invalid_contact_email": "400: contact_email is no e-mail address",
    "invalid_parameter": "400: offset or limit is not a whole number in range",
    "invalid_file_name": "400: the file name breaks the rule; the message gives today's name",
    "invalid_file": "400: the file's content is refused as a whole; the message says why",
    "file_too_large": "413: over the size limit",
    "internal_error": "500: our fault, logged",
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: str) -> dict[str, Any]:
    return {
        status: {"$ref": f"#/components/responses/{_ERROR_RESPONSES[status][0]}"}
        for status in statuses
    }


_ERROR_RESPONSES = {
    "400": ("BadRequest", "The request is refused; the message says why and what to do."),
    "401": ("Unauthorized", "No token, or an unknown or revoked token."),
    "403": ("Forbidden", "The token's person lacks the right (or any right in the unit) now."),
    "404": ("NotFound", "No such batch, or not one this person may see."),
    "409": ("NotFinished", "The batch has not finished: no log yet."),
    "413": ("TooLarge", "The file is over the size limit."),
}
_READ_ERRORS = ("401", "403", "404")


def _paging(sizes: tuple[int, int]) -> list[dict[str, Any]]:
    default, largest = sizes
    return [
        {
            "name": "offset",
            "in": "query",
            "description": "How many items to skip (the `next` link carries it on).",
            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
        },
        {
            "name": "limit",
            "in": "query",
            "description": "Items on one page.",
            "schema": {"type": "integer", "minimum": 1, "maximum": largest, "default": default},
        },
    ]


def _page(key: str, item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["count", "next", key],
        "properties": {
            "count": {"type": "integer", "description": "Items in all pages."},
            "next": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "The URL of the following page; null on the last.",
            },
            key: {"type": "array", "items": _ref(item)},
        },
    }


def _text(description: str) -> dict[str, str]:
    return {"type": "string", "description": description}


def _schemas() -> dict[str, Any]:
    moment = {"type": ["string", "null"], "format": "date-time"}
    return {
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "required": ["code", "message", "message_en"],
                    "properties": {
                        "code": _text(
                            "Stable, for programs: "
                            + "; ".join(f"`{code}` {why}" for code, why in ERROR_CODES.items())
                        ),
                        "message": _text("For people, in 繁體中文."),
                        "message_en": _text("The same in English."),
                    },
                }
            },
        },
        "BatchStatus": {
            "type": "string",
            "enum": ["waiting", "processing", "done", "failed"],
            "description": "處理狀態: waiting 已上傳,等待入檔; processing; done 入檔完畢; failed.",
        },
        "Batch": {
            "type": "object",
            "required": [
                "id",
                "file_name",
                "status",
                "total",
                "processed",
                "succeeded",
                "failed",
                "submitted_at",
                "finished_at",
                "failure_reason",
            ],
            "properties": {
                "id": {"type": "integer"},
                "file_name": _text("上傳檔名"),
                "status": _ref("BatchStatus"),
                "total": {"type": "integer", "description": "上傳筆數: data rows in the file"},
                "processed": {"type": "integer", "description": "Rows with a result so far"},
                "succeeded": {"type": "integer", "description": "成功筆數"},
                "failed": {"type": "integer", "description": "失敗筆數"},
                "submitted_at": {**moment, "description": "上傳時間, ISO 8601 with offset"},
                "finished_at": {**moment, "description": "When processing ended; null before"},
                "failure_reason": {
                    "oneOf": [{"type": "null"}, _ref("LocalizedText")],
                    "description": "Why a failed batch stopped (its processed rows stay filed).",
                },
            },
        },
        "LocalizedText": {
            "type": "object",
            "required": ["message", "message_en"],
            "properties": {"message": _text("繁體中文"), "message_en": _text("English")},
        },
        "BatchAccepted": {
            "type": "object",
            "required": ["id", "status"],
            "properties": {"id": {"type": "integer"}, "status": {"const": "waiting"}},
        },
        "BatchPage": _page("batches", "Batch"),
        "BatchResult": {
            "type": "object",
            "required": ["row", "national_id_masked", "result", "reason", "reason_en"],
            "properties": {
                "row": {
                    "type": "integer",
                    "description": "第N筆資料: 1 is the row after the header; a blank row keeps"
                    " its number",
                },
                "national_id_masked": _text("The first 6 characters + ****, e.g. A23084****"),
                "result": {"type": "string", "enum": ["success", "failed"]},
                "reason": _text("Why the row failed, 繁體中文, as in the log; empty on success"),
                "reason_en": _text("The same in English"),
            },
        },
        "ResultPage": _page("results", "BatchResult"),
        "Upload": {
            "type": "object",
            "required": ["file"],
            "properties": {
                "file": {
                    "type": "string",
                    "contentMediaType": "application/octet-stream",
                    "description": "The CSV (UTF-8 or Big5, comma-separated) or .xlsx file, named"
                    " unit code + ROC date of today + .CSV (or .xlsx), e.g. 1200000001050530.CSV."
                    " The first row is a header; columns 身分證號, 電子郵件, 行動電話, 聯絡電話.",
                },
                "contact_name": {
                    "type": "string",
                    "maxLength": 50,
                    "description": "聯絡人; default: the token person's registered name",
                },
                "contact_email": {
                    "type": "string",
                    "format": "email",
                    "maxLength": 254,
                    "description": "聯絡人E-Mail, who gets the result mail; default: the token"
                    " person's account e-mail",
                },
            },
        },
    }


def _responses() -> dict[str, Any]:
    responses = {name: _json(_ref("Error"), why) for name, why in _ERROR_RESPONSES.values()}
    responses["Unauthorized"]["headers"] = {
        "WWW-Authenticate": {
            "description": 'Bearer realm="cardreg" (with error="invalid_token" for a bad one)',
            "schema": {"type": "string"},
        }
    }
    return responses


_BATCH_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "The batch's id, as the upload answered it.",
    "schema": {"type": "integer", "minimum": 1},
}


def _paths() -> dict[str, Any]:
    max_mib = settings.CARDREG_BATCH_MAX_BYTES / 1024 / 1024
    return {
        "/batches": {
            "get": {
                "operationId": "listBatches",
                "summary": "健保卡註冊申請上傳紀錄查詢: the visible uploads of the last 3 months",
                "description": "Newest first. The unit administrator sees all the unit's, a clerk"
                " only his own. Needs the upload or the query right.",
                "parameters": _paging(BATCHES_PAGE),
                "responses": {
                    "200": _json(_ref("BatchPage"), "One page of uploads."),
                    **_errors("400", "401", "403"),
                },
            },
            "post": {
                "operationId": "uploadBatch",
                "summary": "健保卡註冊申請整批資料上傳: upload a file for processing",
                "description": "Checked as a whole at once (name, content, size); the rows are"
                f" processed in the background. At most {max_mib:g} MB and"
                f" {settings.CARDREG_BATCH_MAX_ROWS} rows. Needs the upload right.",
                "requestBody": {
                    "required": True,
                    "content": {"multipart/form-data": {"schema": _ref("Upload")}},
                },
                "responses": {
                    "202": {
                        **_json(_ref("BatchAccepted"), "Accepted; follow it at Location."),
                        "headers": {
                            "Location": {
                                "description": "The batch's URL",
                                "schema": {"type": "string", "format": "uri"},
                            }
                        },
                    },
                    **_errors("400", "401", "403", "413"),
                },
            },
        },
        "/batches/{id}": {
            "parameters": [_BATCH_ID],
            "get": {
                "operationId": "getBatch",
                "summary": "One upload: its status and counts",
                "responses": {
                    "200": _json(_ref("Batch"), "The upload."),
                    **_errors(*_READ_ERRORS),
                },
            },
        },
        "/batches/{id}/results": {
            "parameters": [_BATCH_ID],
            "get": {
                "operationId": "listBatchResults",
                "summary": "The result of each data row, by row",
                "description": "While the batch runs, the rows processed so far (`count` is"
                " the batch's `processed`).",
                "parameters": _paging(RESULTS_PAGE),
                "responses": {
                    "200": _json(_ref("ResultPage"), "One page of row results."),
                    **_errors("400", *_READ_ERRORS),
                },
            },
        },
        "/batches/{id}/log": {
            "parameters": [_BATCH_ID],
            "get": {
                "operationId": "getBatchLog",
                "summary": "入檔結果: the result log, as mailed to the contact",
                "responses": {
                    "200": {
                        "description": "The log file (UTF-8 with BOM, CRLF lines), as an"
                        " attachment named like 1333974211050713.1050713104533.log.",
                        "headers": {
                            "Content-Disposition": {
                                "description": "attachment; filename=...",
                                "schema": {"type": "string"},
                            }
                        },
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    },
                    **_errors(*_READ_ERRORS, "409"),
                },
            },
        },
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This document",
                "security": [],
                "responses": {
                    "200": _json({"type": "object"}, "The OpenAPI 3.1 document."),
                },
            },
        },
    }


def schema() -> dict[str, Any]:
    """The document, with the limits of this installation's settings."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "健保卡網路服務註冊 — 投保單位整批註冊 API",
            "version": "1.0.0",
            "description": "What the employer pages 健保卡註冊申請整批資料上傳 and"
            " 健保卡註冊申請上傳紀錄查詢 do, for an HR system. A token (manage.py issue_api_token)"
            " acts for one person in one unit; that person's rights are checked on every"
            ' request. Every error is JSON: {"error": {"code", "message" (繁體中文),'
            ' "message_en"}}; a method a path does not offer is a 405. National IDs appear'
            " masked only.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "Authorization: Bearer <token from issue_api_token>",
                }
            },
            "schemas": _schemas(),
            "responses": _responses(),
        },
    }
