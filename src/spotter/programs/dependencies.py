from __future__ import annotations

from typing import Annotated

from spotter.identity.dependencies import Principal, require

TemplatesRead = Annotated[Principal, require("templates:read")]
TemplatesWrite = Annotated[Principal, require("templates:write")]
ProgramsRead = Annotated[Principal, require("programs:read")]
ProgramsWrite = Annotated[Principal, require("programs:write")]
ProgramsLog = Annotated[Principal, require("programs:log")]
