from __future__ import annotations

import sqlalchemy as sa

from spotter.identity.models import User
from tests.builders import make_owner


async def test_superadmin_sees_all_organizations_others_get_404(client, session):
    a = await make_owner(client, org_name="Alpha Gym")
    b = await make_owner(client, org_name="Beta Gym")
    assert (
        await client.get("/api/v1/platform/organizations", headers=a.headers)
    ).status_code == 404
    await session.execute(sa.update(User).where(User.email == a.email).values(is_superadmin=True))
    await session.commit()
    r = await client.get("/api/v1/platform/organizations", headers=a.headers, params={"q": "gym"})
    assert r.status_code == 200, r.text
    names = {o["name"]: o for o in r.json()["items"]}
    assert {"Alpha Gym", "Beta Gym"} <= set(names)
    assert names["Beta Gym"]["members"] == 1
    one = await client.get(f"/api/v1/platform/organizations/{b.organization_id}", headers=a.headers)
    assert one.status_code == 200 and one.json()["slug"] == "beta-gym"
