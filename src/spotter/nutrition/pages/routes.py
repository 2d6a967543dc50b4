"""The one nutrition page router: every module of this package adds its routes to it."""

from fastapi import APIRouter

router = APIRouter()
