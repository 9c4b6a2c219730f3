"""The HR-system JSON API (/api/v1/): what the upload and history pages do, for a bearer token.

    gate.py      the bearer token, the person's current rights, JSON errors for every failure
    errors.py    every error the API answers with, in 繁體中文 and English
    shapes.py    the JSON of a batch and a result row, and paging
    views.py     the endpoints (thin: parse, check, call cardreg.employers.batches)

The OpenAPI document is cardreg.employers.openapi; the routes are cardreg.employers.api_urls.
"""
