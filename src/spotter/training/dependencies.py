from __future__ import annotations

from typing import Annotated

from spotter.identity.dependencies import Principal, require

TrainingRead = Annotated[Principal, require("training:read")]
TrainingLog = Annotated[Principal, require("training:log")]
