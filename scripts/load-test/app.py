"""The FastAPI app of scripts/load-test.py: one 1,000-row payload (the file named by
$TOON_LOAD_DATA) served three ways."""

import json
import os

from fastapi import FastAPI
from fastapi.responses import ORJSONResponse

from toon.fastapi import ToonResponse

with open(os.environ["TOON_LOAD_DATA"], encoding="utf-8") as file:
    ROWS = json.load(file)

app = FastAPI()


@app.get("/json")
def default_json():
    """FastAPI's default: the value through jsonable_encoder, then JSONResponse."""
    return ROWS


@app.get("/orjson")
def orjson_response():
    return ORJSONResponse(ROWS)


@app.get("/toon")
def toon_response():
    return ToonResponse(ROWS)
